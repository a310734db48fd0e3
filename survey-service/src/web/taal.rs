//! The survey pages in the parents' home languages: every fixed text a parent can meet from a
//! form (buttons, headings, scale labels, every error message, the kiosk's "saved" message, the
//! closed, unknown and error pages) in one table per language, and the choice of language from
//! `?taal=`. The questionnaire's own texts come from `enquetes/<id>.<taal>.toml`.
//! Dutch is the default; [`crate::domain::vragenlijst::TALEN`] lists the languages here.

use crate::domain::antwoord::Melding;
use crate::domain::vragenlijst::Categorie;

/// A simple page: a heading and a text (blank lines between paragraphs).
pub struct Pagina {
    pub titel: &'static str,
    pub tekst: &'static str,
}

/// The fixed texts of the survey pages in one language.
pub struct Teksten {
    pub code: &'static str,
    /// The language's own name, for the language switcher.
    pub naam: &'static str,
    pub rtl: bool,
    pub skip: &'static str,
    pub taalkeuze: &'static str,
    pub privacy_titel: &'static str,
    pub privacy: [&'static str; 3],
    pub privacy_code: &'static str,
    /// Link text to the (Dutch) privacy page of the site.
    pub privacy_link: &'static str,
    pub fout_een: &'static str,
    /// With `{n}`.
    pub fout_meer: &'static str,
    pub fout_uitleg: &'static str,
    pub fout_woord: &'static str,
    pub niet_verplicht: &'static str,
    /// With `{n}`.
    pub max_tekens: &'static str,
    pub code_label: &'static str,
    pub code_hint: &'static str,
    pub categorieen: [&'static str; 4],
    /// Helemaal niet akkoord … helemaal akkoord, then "weet ik niet".
    pub schaal: [&'static str; 6],
    /// Ja, nee, weet ik niet.
    pub janee: [&'static str; 3],
    pub versturen: &'static str,
    pub bedankt_titel: &'static str,
    pub bedankt_bewaard: &'static str,
    pub bedankt_kop: &'static str,
    pub terug: &'static str,
    /// With `{n}`: a required choice not answered.
    pub kies_antwoord: &'static str,
    /// With `{n}`: a required open item left empty.
    pub vul_in: &'static str,
    /// Above the empty kiosk form after a person's answers were saved.
    pub kiosk_bewaard: &'static str,
    // The other form errors ([`Melding`]); `{n}` is the question number.
    pub onleesbaar: &'static str,
    pub onbekende_vraag: &'static str,
    pub code_vorm: &'static str,
    pub dubbel: &'static str,
    /// With `{n}`, `{max}` and `{lengte}`.
    pub te_lang: &'static str,
    pub onbekend_antwoord: &'static str,
    pub geen_formulier: &'static str,
    pub te_groot: &'static str,
    pub verlopen: &'static str,
    /// The same form was sent a second time (its token is single-use).
    pub al_gebruikt: &'static str,
    pub te_veel: &'static str,
    pub code_nodig: &'static str,
    pub code_ongeldig: &'static str,
    pub niet_bewaard: &'static str,
    /// Pages instead of the form: unknown questionnaire (404).
    pub onbekend: Pagina,
    /// No open period; the title has `{titel}` (the questionnaire's title).
    pub gesloten: Pagina,
    /// The database cannot be read (503).
    pub onbeschikbaar: Pagina,
    /// A POST from another site (403).
    pub andere_site: Pagina,
    /// The connection broke while sending (400).
    pub verbroken: Pagina,
    /// The request took too long (408).
    pub te_traag: Pagina,
}

impl Teksten {
    pub fn categorie(&self, c: Categorie) -> &'static str {
        let i = Categorie::ALLE.iter().position(|x| *x == c).unwrap_or(0);
        self.categorieen[i]
    }

    pub fn dir(&self) -> &'static str {
        if self.rtl { "rtl" } else { "ltr" }
    }

    /// A form error in this language.
    pub fn melding(&self, m: Melding) -> String {
        let met_n = |t: &str, n: usize| t.replace("{n}", &n.to_string());
        match m {
            Melding::Onleesbaar => self.onleesbaar.to_string(),
            Melding::OnbekendeVraag => self.onbekende_vraag.to_string(),
            Melding::CodeVorm => self.code_vorm.to_string(),
            Melding::Dubbel(n) => met_n(self.dubbel, n),
            Melding::TeLang {
                nummer,
                max,
                lengte,
            } => met_n(self.te_lang, nummer)
                .replace("{max}", &max.to_string())
                .replace("{lengte}", &lengte.to_string()),
            Melding::VulIn(n) => met_n(self.vul_in, n),
            Melding::KiesAntwoord(n) => met_n(self.kies_antwoord, n),
            Melding::OnbekendAntwoord(n) => met_n(self.onbekend_antwoord, n),
            Melding::GeenFormulier => self.geen_formulier.to_string(),
            Melding::TeGroot => self.te_groot.to_string(),
            Melding::Verlopen => self.verlopen.to_string(),
            Melding::AlGebruikt => self.al_gebruikt.to_string(),
            Melding::TeVeel => self.te_veel.to_string(),
            Melding::CodeNodig => self.code_nodig.to_string(),
            Melding::CodeOngeldig => self.code_ongeldig.to_string(),
            Melding::NietBewaard => self.niet_bewaard.to_string(),
        }
    }

    /// The home page of the site in this language.
    pub fn home(&self) -> String {
        if self.code == "nl" {
            "/".to_string()
        } else {
            format!("/{}/", self.code)
        }
    }

    /// `?taal=xx` (or `&taal=xx` when not `eerste`) for a language other than Dutch, so the
    /// language travels with links, form actions and redirects; empty for Dutch.
    pub fn query(&self, eerste: bool) -> String {
        match (self.code, eerste) {
            ("nl", _) => String::new(),
            (code, true) => format!("?taal={code}"),
            (code, false) => format!("&taal={code}"),
        }
    }
}

/// The language asked for in a query string (`taal=ar`), Dutch when absent or unknown.
pub fn kies(query: Option<&str>) -> &'static Teksten {
    let gevraagd = query.and_then(|q| q.split('&').find_map(|p| p.strip_prefix("taal=")));
    ALLE.iter()
        .find(|t| Some(t.code) == gevraagd)
        .unwrap_or(&ALLE[0])
}

pub fn van(code: &str) -> &'static Teksten {
    ALLE.iter().find(|t| t.code == code).unwrap_or(&ALLE[0])
}

pub static ALLE: [Teksten; 5] = [
    Teksten {
        code: "nl",
        naam: "Nederlands",
        rtl: false,
        skip: "Ga naar de inhoud",
        taalkeuze: "Andere talen",
        privacy_titel: "Wat we bewaren",
        privacy: [
            "We bewaren alleen je antwoorden en hoe je ze gaf: online, op school, op papier of in een gesprek.",
            "We bewaren geen naam, geen e-mailadres, geen IP-adres, geen cookie en geen datum of uur bij je antwoorden.",
            "Het zorgteam toont resultaten alleen voor groepen van minstens 5 mensen.",
        ],
        privacy_code: "Je code zorgt ervoor dat iedereen maar één keer antwoordt. We onthouden alleen dat de code gebruikt is, niet welke antwoorden erbij horen.",
        privacy_link: "Lees alles over je privacy bij deze bevraging",
        fout_een: "Er is 1 ding om na te kijken",
        fout_meer: "Er zijn {n} dingen om na te kijken",
        fout_uitleg: "Je antwoorden staan er nog. Pas aan wat hieronder staat en verstuur opnieuw.",
        fout_woord: "Fout",
        niet_verplicht: "(niet verplicht)",
        max_tekens: "Maximaal {n} tekens. Noem liever geen namen.",
        code_label: "Je code",
        code_hint: "De code staat op de brief die je van school kreeg, bijvoorbeeld ABCD-EFGH.",
        categorieen: [
            "Zorg op onze school",
            "Leren",
            "Je goed voelen",
            "Samenwerken",
        ],
        schaal: [
            "Helemaal niet akkoord",
            "Niet akkoord",
            "Neutraal",
            "Akkoord",
            "Helemaal akkoord",
            "Weet ik niet",
        ],
        janee: ["Ja", "Nee", "Weet ik niet"],
        versturen: "Antwoorden versturen",
        bedankt_titel: "Bedankt voor je antwoorden!",
        bedankt_bewaard: "Je antwoorden zijn goed bewaard.",
        bedankt_kop: "Wat gebeurt er nu?",
        terug: "Terug naar de website",
        kies_antwoord: "Kies een antwoord bij vraag {n}.",
        vul_in: "Vul vraag {n} in.",
        kiosk_bewaard: "Bedankt! De antwoorden zijn bewaard. Het formulier is weer leeg voor de volgende persoon.",
        onleesbaar: "Het formulier bevat tekens die we niet kunnen lezen. Kijk je antwoorden na en verstuur opnieuw.",
        onbekende_vraag: "Het formulier bevat een vraag die niet in deze vragenlijst staat. Verstuur het formulier van deze pagina opnieuw.",
        code_vorm: "Deze code klopt niet. Een code heeft 8 tekens, bijvoorbeeld ABCD-EFGH.",
        dubbel: "Vraag {n} kreeg meer dan één antwoord. Kies er één.",
        te_lang: "Je antwoord op vraag {n} is te lang: maximaal {max} tekens (nu {lengte}). Maak het wat korter.",
        onbekend_antwoord: "Dit antwoord bij vraag {n} kennen we niet. Kies opnieuw.",
        geen_formulier: "We konden het formulier niet lezen. Vul het hieronder opnieuw in.",
        te_groot: "Je antwoorden waren te lang om te versturen. Maak je open antwoorden korter en verstuur opnieuw.",
        verlopen: "Dit formulier was verlopen of onvolledig. Kijk je antwoorden na en verstuur opnieuw.",
        al_gebruikt: "Deze antwoorden waren al verstuurd en bewaard. We bewaarden ze niet nog een keer. Wil je toch opnieuw antwoorden, bijvoorbeeld voor een ander kind? Kijk je antwoorden na en verstuur opnieuw.",
        te_veel: "Er kwamen net heel veel antwoorden van jouw netwerk. Je antwoorden zijn nog niet bewaard: wacht een minuutje en verstuur dan opnieuw.",
        code_nodig: "Vul je code in. Die staat op de brief die je van school kreeg.",
        code_ongeldig: "Deze code kennen we niet, of ze werd al gebruikt. Kijk ze na op je brief.",
        niet_bewaard: "We konden je antwoorden nu niet bewaren. Er is niets bewaard. Probeer het over een paar minuten opnieuw.",
        onbekend: Pagina {
            titel: "Deze bevraging bestaat niet",
            tekst: "Kijk het adres na. Op de website van de school vind je de juiste link.",
        },
        gesloten: Pagina {
            titel: "{titel} is gesloten",
            tekst: "Je kan deze bevraging nu niet invullen. Misschien is ze al afgelopen, of nog niet begonnen.\n\nDe school laat op de website weten wat ze met de antwoorden doet.",
        },
        onbeschikbaar: Pagina {
            titel: "Even niet beschikbaar",
            tekst: "Er loopt iets mis bij ons. Probeer het over een paar minuten opnieuw.",
        },
        andere_site: Pagina {
            titel: "Dit formulier kwam van een andere website",
            tekst: "Vul de bevraging in op de website van de school.",
        },
        verbroken: Pagina {
            titel: "Het versturen lukte niet",
            tekst: "De verbinding viel weg tijdens het versturen. Probeer het opnieuw.",
        },
        te_traag: Pagina {
            titel: "Dat duurde te lang",
            tekst: "Het versturen duurde te lang. Probeer het opnieuw.",
        },
    },
    Teksten {
        code: "en",
        naam: "English",
        rtl: false,
        skip: "Go to the content",
        taalkeuze: "Other languages",
        privacy_titel: "What we keep",
        privacy: [
            "We only keep your answers and how you gave them: online, at school, on paper or in a talk.",
            "We keep no name, no e-mail address, no IP address, no cookie and no date or time with your answers.",
            "The care team only shows results for groups of at least 5 people.",
        ],
        privacy_code: "Your code makes sure everyone answers only once. We only remember that the code was used, not which answers go with it.",
        privacy_link: "Read more about your privacy in this survey (in Dutch)",
        fout_een: "There is 1 thing to check",
        fout_meer: "There are {n} things to check",
        fout_uitleg: "Your answers are still there. Change what is below and send again.",
        fout_woord: "Error",
        niet_verplicht: "(not required)",
        max_tekens: "At most {n} characters. Please do not write names.",
        code_label: "Your code",
        code_hint: "The code is on the letter you got from the school, for example ABCD-EFGH.",
        categorieen: [
            "Care at our school",
            "Learning",
            "Feeling good",
            "Working together",
        ],
        schaal: [
            "Strongly disagree",
            "Disagree",
            "Neutral",
            "Agree",
            "Strongly agree",
            "I don't know",
        ],
        janee: ["Yes", "No", "I don't know"],
        versturen: "Send answers",
        bedankt_titel: "Thank you for your answers!",
        bedankt_bewaard: "Your answers are saved.",
        bedankt_kop: "What happens now?",
        terug: "Back to the website",
        kies_antwoord: "Choose an answer for question {n}.",
        vul_in: "Fill in question {n}.",
        kiosk_bewaard: "Thank you! The answers are saved. The form is empty again for the next person.",
        onleesbaar: "The form contains characters we cannot read. Check your answers and send again.",
        onbekende_vraag: "The form contains a question that is not in this survey. Send the form from this page again.",
        code_vorm: "This code is not right. A code has 8 characters, for example ABCD-EFGH.",
        dubbel: "Question {n} got more than one answer. Choose one.",
        te_lang: "Your answer to question {n} is too long: at most {max} characters (now {lengte}). Make it a bit shorter.",
        onbekend_antwoord: "We do not know this answer to question {n}. Choose again.",
        geen_formulier: "We could not read the form. Fill it in again below.",
        te_groot: "Your answers were too long to send. Make your open answers shorter and send again.",
        verlopen: "This form had expired or was incomplete. Check your answers and send again.",
        al_gebruikt: "These answers were already sent and saved. We did not save them a second time. Do you want to answer again, for example for another child? Check your answers and send again.",
        te_veel: "Very many answers just came from your network. Your answers are not saved yet: wait a minute and then send again.",
        code_nodig: "Fill in your code. It is on the letter you got from the school.",
        code_ongeldig: "We do not know this code, or it was already used. Check it on your letter.",
        niet_bewaard: "We could not save your answers right now. Nothing was saved. Try again in a few minutes.",
        onbekend: Pagina {
            titel: "This survey does not exist",
            tekst: "Check the address. You find the right link on the school's website.",
        },
        gesloten: Pagina {
            titel: "{titel} is closed",
            tekst: "You cannot fill in this survey now. Maybe it has ended, or it has not started yet.\n\nThe school tells on its website what it does with the answers.",
        },
        onbeschikbaar: Pagina {
            titel: "Not available right now",
            tekst: "Something is going wrong on our side. Try again in a few minutes.",
        },
        andere_site: Pagina {
            titel: "This form came from another website",
            tekst: "Fill in the survey on the school's website.",
        },
        verbroken: Pagina {
            titel: "Sending did not work",
            tekst: "The connection was lost while sending. Please try again.",
        },
        te_traag: Pagina {
            titel: "That took too long",
            tekst: "Sending took too long. Please try again.",
        },
    },
    Teksten {
        code: "fr",
        naam: "Français",
        rtl: false,
        skip: "Aller au contenu",
        taalkeuze: "Autres langues",
        privacy_titel: "Ce que nous gardons",
        privacy: [
            "Nous gardons seulement vos réponses et comment vous les avez données : en ligne, à l'école, sur papier ou dans un entretien.",
            "Nous ne gardons pas de nom, d'adresse e-mail, d'adresse IP, de cookie, ni de date ou d'heure avec vos réponses.",
            "L'équipe ne montre des résultats que pour des groupes d'au moins 5 personnes.",
        ],
        privacy_code: "Votre code permet à chacun de répondre une seule fois. Nous retenons seulement que le code a été utilisé, pas les réponses.",
        privacy_link: "En savoir plus sur votre vie privée dans cette enquête (en néerlandais)",
        fout_een: "Il y a 1 chose à vérifier",
        fout_meer: "Il y a {n} choses à vérifier",
        fout_uitleg: "Vos réponses sont toujours là. Corrigez ce qui est indiqué ci-dessous et envoyez à nouveau.",
        fout_woord: "Erreur",
        niet_verplicht: "(pas obligatoire)",
        max_tekens: "Au maximum {n} caractères. N'écrivez pas de noms, s'il vous plaît.",
        code_label: "Votre code",
        code_hint: "Le code est sur la lettre de l'école, par exemple ABCD-EFGH.",
        categorieen: [
            "L'aide dans notre école",
            "Apprendre",
            "Se sentir bien",
            "Travailler ensemble",
        ],
        schaal: [
            "Pas du tout d'accord",
            "Pas d'accord",
            "Neutre",
            "D'accord",
            "Tout à fait d'accord",
            "Je ne sais pas",
        ],
        janee: ["Oui", "Non", "Je ne sais pas"],
        versturen: "Envoyer les réponses",
        bedankt_titel: "Merci pour vos réponses !",
        bedankt_bewaard: "Vos réponses sont bien enregistrées.",
        bedankt_kop: "Que se passe-t-il maintenant ?",
        terug: "Retour au site",
        kies_antwoord: "Choisissez une réponse à la question {n}.",
        vul_in: "Répondez à la question {n}.",
        kiosk_bewaard: "Merci ! Les réponses sont enregistrées. Le formulaire est de nouveau vide pour la personne suivante.",
        onleesbaar: "Le formulaire contient des caractères que nous ne pouvons pas lire. Vérifiez vos réponses et envoyez à nouveau.",
        onbekende_vraag: "Le formulaire contient une question qui n'est pas dans cette enquête. Envoyez à nouveau le formulaire de cette page.",
        code_vorm: "Ce code n'est pas correct. Un code a 8 caractères, par exemple ABCD-EFGH.",
        dubbel: "La question {n} a reçu plus d'une réponse. Choisissez-en une.",
        te_lang: "Votre réponse à la question {n} est trop longue : au maximum {max} caractères (maintenant {lengte}). Raccourcissez-la un peu.",
        onbekend_antwoord: "Nous ne connaissons pas cette réponse à la question {n}. Choisissez à nouveau.",
        geen_formulier: "Nous n'avons pas pu lire le formulaire. Remplissez-le à nouveau ci-dessous.",
        te_groot: "Vos réponses étaient trop longues pour être envoyées. Raccourcissez vos réponses libres et envoyez à nouveau.",
        verlopen: "Ce formulaire avait expiré ou était incomplet. Vérifiez vos réponses et envoyez à nouveau.",
        al_gebruikt: "Ces réponses avaient déjà été envoyées et enregistrées. Nous ne les avons pas enregistrées une deuxième fois. Voulez-vous répondre encore, par exemple pour un autre enfant ? Vérifiez vos réponses et envoyez à nouveau.",
        te_veel: "Beaucoup de réponses viennent d'arriver de votre réseau. Vos réponses ne sont pas encore enregistrées : attendez une minute, puis envoyez à nouveau.",
        code_nodig: "Indiquez votre code. Il est sur la lettre de l'école.",
        code_ongeldig: "Nous ne connaissons pas ce code, ou il a déjà été utilisé. Vérifiez-le sur votre lettre.",
        niet_bewaard: "Nous n'avons pas pu enregistrer vos réponses. Rien n'a été enregistré. Réessayez dans quelques minutes.",
        onbekend: Pagina {
            titel: "Cette enquête n'existe pas",
            tekst: "Vérifiez l'adresse. Vous trouvez le bon lien sur le site de l'école.",
        },
        gesloten: Pagina {
            titel: "{titel} : l'enquête est fermée",
            tekst: "Vous ne pouvez pas remplir cette enquête maintenant. Elle est peut-être terminée, ou pas encore commencée.\n\nL'école explique sur son site ce qu'elle fait des réponses.",
        },
        onbeschikbaar: Pagina {
            titel: "Pas disponible pour le moment",
            tekst: "Quelque chose ne va pas chez nous. Réessayez dans quelques minutes.",
        },
        andere_site: Pagina {
            titel: "Ce formulaire vient d'un autre site",
            tekst: "Remplissez l'enquête sur le site de l'école.",
        },
        verbroken: Pagina {
            titel: "L'envoi n'a pas marché",
            tekst: "La connexion a été coupée pendant l'envoi. Réessayez.",
        },
        te_traag: Pagina {
            titel: "Cela a pris trop de temps",
            tekst: "L'envoi a pris trop de temps. Réessayez.",
        },
    },
    Teksten {
        code: "tr",
        naam: "Türkçe",
        rtl: false,
        skip: "İçeriğe git",
        taalkeuze: "Diğer diller",
        privacy_titel: "Neyi saklıyoruz",
        privacy: [
            "Sadece cevaplarınızı ve nasıl verdiğinizi saklarız: internetten, okulda, kâğıt üzerinde ya da bir görüşmede.",
            "Cevaplarınızla birlikte ad, e-posta adresi, IP adresi, çerez, tarih veya saat saklamayız.",
            "Destek ekibi sonuçları sadece en az 5 kişilik gruplar için gösterir.",
        ],
        privacy_code: "Kodunuz herkesin sadece bir kez cevap vermesini sağlar. Sadece kodun kullanıldığını hatırlarız, cevapları değil.",
        privacy_link: "Bu ankette gizliliğiniz hakkında daha fazla bilgi (Felemenkçe)",
        fout_een: "Kontrol edilecek 1 şey var",
        fout_meer: "Kontrol edilecek {n} şey var",
        fout_uitleg: "Cevaplarınız duruyor. Aşağıdakileri düzeltin ve tekrar gönderin.",
        fout_woord: "Hata",
        niet_verplicht: "(zorunlu değil)",
        max_tekens: "En fazla {n} karakter. Lütfen isim yazmayın.",
        code_label: "Kodunuz",
        code_hint: "Kod, okuldan aldığınız mektupta yazılı, örneğin ABCD-EFGH.",
        categorieen: [
            "Okulumuzda destek",
            "Öğrenme",
            "Kendini iyi hissetmek",
            "Birlikte çalışmak",
        ],
        schaal: [
            "Hiç katılmıyorum",
            "Katılmıyorum",
            "Kararsızım",
            "Katılıyorum",
            "Tamamen katılıyorum",
            "Bilmiyorum",
        ],
        janee: ["Evet", "Hayır", "Bilmiyorum"],
        versturen: "Cevapları gönder",
        bedankt_titel: "Cevaplarınız için teşekkürler!",
        bedankt_bewaard: "Cevaplarınız kaydedildi.",
        bedankt_kop: "Şimdi ne olacak?",
        terug: "Web sitesine dön",
        kies_antwoord: "{n}. soru için bir cevap seçin.",
        vul_in: "{n}. soruyu doldurun.",
        kiosk_bewaard: "Teşekkürler! Cevaplar kaydedildi. Form bir sonraki kişi için yine boş.",
        onleesbaar: "Formda okuyamadığımız karakterler var. Cevaplarınızı kontrol edin ve tekrar gönderin.",
        onbekende_vraag: "Formda bu ankette olmayan bir soru var. Formu bu sayfadan tekrar gönderin.",
        code_vorm: "Bu kod doğru değil. Bir kod 8 karakterden oluşur, örneğin ABCD-EFGH.",
        dubbel: "{n}. soruya birden fazla cevap verildi. Birini seçin.",
        te_lang: "{n}. sorudaki cevabınız çok uzun: en fazla {max} karakter (şu an {lengte}). Biraz kısaltın.",
        onbekend_antwoord: "{n}. soru için bu cevabı tanımıyoruz. Tekrar seçin.",
        geen_formulier: "Formu okuyamadık. Aşağıda tekrar doldurun.",
        te_groot: "Cevaplarınız göndermek için çok uzundu. Açık cevaplarınızı kısaltın ve tekrar gönderin.",
        verlopen: "Bu formun süresi dolmuş ya da form eksik. Cevaplarınızı kontrol edin ve tekrar gönderin.",
        al_gebruikt: "Bu cevaplar zaten gönderildi ve kaydedildi. Onları ikinci kez kaydetmedik. Yine de, örneğin başka bir çocuğunuz için, tekrar cevap vermek mi istiyorsunuz? Cevaplarınızı kontrol edin ve tekrar gönderin.",
        te_veel: "Ağınızdan az önce çok sayıda cevap geldi. Cevaplarınız henüz kaydedilmedi: bir dakika bekleyin ve tekrar gönderin.",
        code_nodig: "Kodunuzu yazın. Kod, okuldan aldığınız mektupta yazılı.",
        code_ongeldig: "Bu kodu tanımıyoruz ya da kod zaten kullanıldı. Mektubunuzdaki kodu kontrol edin.",
        niet_bewaard: "Cevaplarınızı şu anda kaydedemedik. Hiçbir şey kaydedilmedi. Birkaç dakika sonra tekrar deneyin.",
        onbekend: Pagina {
            titel: "Böyle bir anket yok",
            tekst: "Adresi kontrol edin. Doğru bağlantıyı okulun web sitesinde bulabilirsiniz.",
        },
        gesloten: Pagina {
            titel: "{titel}: anket kapalı",
            tekst: "Bu anketi şu anda dolduramazsınız. Belki bitti ya da henüz başlamadı.\n\nOkul, cevaplarla ne yaptığını web sitesinde anlatır.",
        },
        onbeschikbaar: Pagina {
            titel: "Şu anda kullanılamıyor",
            tekst: "Bizde bir sorun var. Birkaç dakika sonra tekrar deneyin.",
        },
        andere_site: Pagina {
            titel: "Bu form başka bir web sitesinden geldi",
            tekst: "Anketi okulun web sitesinde doldurun.",
        },
        verbroken: Pagina {
            titel: "Gönderme başarısız oldu",
            tekst: "Gönderirken bağlantı koptu. Tekrar deneyin.",
        },
        te_traag: Pagina {
            titel: "Çok uzun sürdü",
            tekst: "Gönderme çok uzun sürdü. Tekrar deneyin.",
        },
    },
    Teksten {
        code: "ar",
        naam: "العربية",
        rtl: true,
        skip: "اذهب إلى المحتوى",
        taalkeuze: "لغات أخرى",
        privacy_titel: "ماذا نحفظ",
        privacy: [
            "نحفظ فقط أجوبتك وكيف أعطيتها: عبر الإنترنت، في المدرسة، على الورق أو في حديث.",
            "لا نحفظ مع أجوبتك اسمًا ولا بريدًا إلكترونيًا ولا عنوان IP ولا ملف تعريف ارتباط ولا تاريخًا أو ساعة.",
            "فريق الرعاية يعرض النتائج فقط لمجموعات من 5 أشخاص على الأقل.",
        ],
        privacy_code: "رمزك يضمن أن يجيب كل شخص مرة واحدة فقط. نتذكر فقط أن الرمز استُعمل، لا الأجوبة.",
        privacy_link: "اقرأ المزيد عن خصوصيتك في هذا الاستبيان (بالهولندية)",
        fout_een: "هناك شيء واحد يجب مراجعته",
        fout_meer: "هناك {n} أشياء يجب مراجعتها",
        fout_uitleg: "أجوبتك ما زالت هنا. صحّح ما هو مكتوب تحت وأرسل مرة أخرى.",
        fout_woord: "خطأ",
        niet_verplicht: "(ليس إجباريًا)",
        max_tekens: "على الأكثر {n} حرفًا. من فضلك لا تكتب أسماء.",
        code_label: "رمزك",
        code_hint: "الرمز مكتوب في الرسالة التي وصلتك من المدرسة، مثلًا ABCD-EFGH.",
        categorieen: [
            "الرعاية في مدرستنا",
            "التعلّم",
            "الشعور بالراحة",
            "العمل معًا",
        ],
        schaal: [
            "غير موافق إطلاقًا",
            "غير موافق",
            "محايد",
            "موافق",
            "موافق تمامًا",
            "لا أعرف",
        ],
        janee: ["نعم", "لا", "لا أعرف"],
        versturen: "أرسل الأجوبة",
        bedankt_titel: "شكرًا على أجوبتك!",
        bedankt_bewaard: "تم حفظ أجوبتك.",
        bedankt_kop: "ماذا يحدث الآن؟",
        terug: "العودة إلى الموقع",
        kies_antwoord: "اختر جوابًا للسؤال {n}.",
        vul_in: "أجب عن السؤال {n}.",
        kiosk_bewaard: "شكرًا! تم حفظ الأجوبة. الاستمارة فارغة من جديد للشخص التالي.",
        onleesbaar: "في الاستمارة حروف لا نستطيع قراءتها. راجع أجوبتك وأرسل مرة أخرى.",
        onbekende_vraag: "في الاستمارة سؤال ليس في هذا الاستبيان. أرسل الاستمارة من هذه الصفحة مرة أخرى.",
        code_vorm: "هذا الرمز غير صحيح. الرمز فيه 8 حروف، مثلًا ABCD-EFGH.",
        dubbel: "السؤال {n} حصل على أكثر من جواب. اختر جوابًا واحدًا.",
        te_lang: "جوابك عن السؤال {n} طويل جدًا: على الأكثر {max} حرفًا (الآن {lengte}). اجعله أقصر قليلًا.",
        onbekend_antwoord: "لا نعرف هذا الجواب للسؤال {n}. اختر مرة أخرى.",
        geen_formulier: "لم نستطع قراءة الاستمارة. املأها مرة أخرى تحت.",
        te_groot: "كانت أجوبتك أطول من أن تُرسل. اجعل أجوبتك المفتوحة أقصر وأرسل مرة أخرى.",
        verlopen: "انتهت صلاحية هذه الاستمارة أو كانت ناقصة. راجع أجوبتك وأرسل مرة أخرى.",
        al_gebruikt: "أُرسلت هذه الأجوبة وحُفظت من قبل. لم نحفظها مرة ثانية. هل تريد أن تجيب مرة أخرى، مثلًا من أجل طفل آخر؟ راجع أجوبتك وأرسل مرة أخرى.",
        te_veel: "وصلت للتو أجوبة كثيرة جدًا من شبكتك. لم تُحفظ أجوبتك بعد: انتظر دقيقة ثم أرسل مرة أخرى.",
        code_nodig: "اكتب رمزك. الرمز مكتوب في الرسالة التي وصلتك من المدرسة.",
        code_ongeldig: "لا نعرف هذا الرمز، أو سبق استعماله. تحقّق منه في رسالتك.",
        niet_bewaard: "لم نستطع حفظ أجوبتك الآن. لم يُحفظ شيء. حاول مرة أخرى بعد بضع دقائق.",
        onbekend: Pagina {
            titel: "هذا الاستبيان غير موجود",
            tekst: "تحقّق من العنوان. تجد الرابط الصحيح على موقع المدرسة.",
        },
        gesloten: Pagina {
            titel: "{titel}: الاستبيان مغلق",
            tekst: "لا يمكنك ملء هذا الاستبيان الآن. ربما انتهى، أو لم يبدأ بعد.\n\nتشرح المدرسة على موقعها ماذا تفعل بالأجوبة.",
        },
        onbeschikbaar: Pagina {
            titel: "غير متاح الآن",
            tekst: "هناك مشكلة عندنا. حاول مرة أخرى بعد بضع دقائق.",
        },
        andere_site: Pagina {
            titel: "هذه الاستمارة جاءت من موقع آخر",
            tekst: "املأ الاستبيان على موقع المدرسة.",
        },
        verbroken: Pagina {
            titel: "لم ينجح الإرسال",
            tekst: "انقطع الاتصال أثناء الإرسال. حاول مرة أخرى.",
        },
        te_traag: Pagina {
            titel: "استغرق ذلك وقتًا طويلًا",
            tekst: "استغرق الإرسال وقتًا طويلًا. حاول مرة أخرى.",
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_the_query_with_dutch_as_default() {
        assert_eq!(kies(Some("taal=ar")).code, "ar");
        assert!(kies(Some("code=X&taal=ar")).rtl);
        assert_eq!(kies(Some("taal=xx")).code, "nl");
        assert_eq!(kies(None).code, "nl");
    }

    #[test]
    fn errors_are_worded_per_language() {
        let fr = van("fr");
        assert_eq!(
            fr.melding(Melding::KiesAntwoord(3)),
            "Choisissez une réponse à la question 3."
        );
        assert_eq!(fr.melding(Melding::VulIn(12)), "Répondez à la question 12.");
        let lang = Melding::TeLang {
            nummer: 2,
            max: 10,
            lengte: 14,
        };
        assert_eq!(
            van("nl").melding(lang),
            "Je antwoord op vraag 2 is te lang: maximaal 10 tekens (nu 14). Maak het wat korter."
        );
        for t in &ALLE {
            let m = t.melding(lang);
            assert!(
                m.contains('2') && m.contains("10") && m.contains("14"),
                "{}: {m}",
                t.code
            );
            assert!(!m.contains('{'), "{}: {m}", t.code);
            assert!(t.gesloten.titel.contains("{titel}"), "{}", t.code);
        }
    }

    #[test]
    fn every_language_has_its_own_words() {
        // A text left in Dutch in another language's table is a forgotten translation.
        let nl = van("nl");
        for t in ALLE.iter().skip(1) {
            for (a, b) in [
                (t.kiosk_bewaard, nl.kiosk_bewaard),
                (t.verlopen, nl.verlopen),
                (t.al_gebruikt, nl.al_gebruikt),
                (t.te_veel, nl.te_veel),
                (t.niet_bewaard, nl.niet_bewaard),
                (t.code_ongeldig, nl.code_ongeldig),
                (t.gesloten.tekst, nl.gesloten.tekst),
                (t.onbekend.titel, nl.onbekend.titel),
                (t.onbeschikbaar.titel, nl.onbeschikbaar.titel),
            ] {
                assert_ne!(a, b, "{}", t.code);
            }
        }
    }
}

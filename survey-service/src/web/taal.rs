//! The survey pages in the parents' home languages: the fixed texts of the form (buttons,
//! headings, scale labels, the most common error messages) per language, and the choice of
//! language from `?taal=`. The questionnaire's own texts come from `enquetes/<id>.<taal>.toml`.
//! Dutch is the default; [`crate::domain::vragenlijst::TALEN`] lists the languages here.

use crate::domain::vragenlijst::Categorie;

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
}

impl Teksten {
    pub fn categorie(&self, c: Categorie) -> &'static str {
        let i = Categorie::ALLE.iter().position(|x| *x == c).unwrap_or(0);
        self.categorieen[i]
    }

    pub fn dir(&self) -> &'static str {
        if self.rtl { "rtl" } else { "ltr" }
    }

    /// An error message from the form checks in this language, for the messages people meet
    /// most ("Kies een antwoord bij vraag 3."); others stay Dutch.
    pub fn fout(&self, bericht: &str) -> String {
        let nummer = |prefix: &str, suffix: &str| {
            bericht
                .strip_prefix(prefix)?
                .strip_suffix(suffix)
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
                .map(str::to_string)
        };
        if let Some(n) = nummer("Kies een antwoord bij vraag ", ".") {
            return self.kies_antwoord.replace("{n}", &n);
        }
        if let Some(n) = nummer("Vul vraag ", " in.") {
            return self.vul_in.replace("{n}", &n);
        }
        bericht.to_string()
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
    fn common_errors_are_translated() {
        let fr = van("fr");
        assert_eq!(
            fr.fout("Kies een antwoord bij vraag 3."),
            "Choisissez une réponse à la question 3."
        );
        assert_eq!(fr.fout("Vul vraag 12 in."), "Répondez à la question 12.");
        assert_eq!(fr.fout("Iets anders."), "Iets anders.");
    }
}

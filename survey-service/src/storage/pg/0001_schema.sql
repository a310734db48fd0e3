-- PostgreSQL schema version 1: the SQLite schema at its version 5 (migrations 1 to 4 and the
-- school guard), in one step. One schema per school (see storage/pg/mod.rs); every name here
-- is resolved through the connection's search_path, never qualified.
--
-- Differences from SQLite, on purpose:
-- * `periode.inzendingen` is kept by the writer (and by anything else that adds or removes
--   responses) in the same transaction, not by triggers: triggers would need PL/pgSQL, which
--   not every PostgreSQL-compatible service runs the same way.
-- * The secret (`geheim`) is drawn by the program from the OS after this migration: core
--   PostgreSQL has no random bytes function without the pgcrypto extension.
-- * `audit.id` is an identity column (standard SQL) instead of SQLite's rowid.

CREATE TABLE periode (
    vragenlijst text NOT NULL,
    naam        text NOT NULL,
    open        boolean NOT NULL,
    uitgenodigd integer CHECK (uitgenodigd >= 0),
    met_codes   boolean NOT NULL DEFAULT false,
    -- The number of responses when the answers were last released (at a close); NULL: never.
    vrijgegeven bigint CHECK (vrijgegeven >= 0),
    -- The number of responses, kept in the writer's transaction.
    inzendingen bigint NOT NULL DEFAULT 0 CHECK (inzendingen >= 0),
    PRIMARY KEY (vragenlijst, naam)
);
CREATE UNIQUE INDEX een_open_periode ON periode (vragenlijst) WHERE open;

-- One row per response. The id is a random 63-bit number drawn by the writer (never a
-- sequence) and every read orders by it. The heap still stores rows in arrival order (see the
-- threat model in docs: ctid, xmin, the WAL): nothing the service shows or exports uses that.
-- No date, time or client data.
CREATE TABLE inzending (
    id          bigint PRIMARY KEY CHECK (id > 0),
    vragenlijst text NOT NULL,
    periode     text NOT NULL,
    kanaal      text NOT NULL CHECK (kanaal IN ('online', 'kiosk', 'papier', 'mondeling')),
    -- {"<item>@<versie>": 0..5 or option number, or text for open items}
    antwoorden  text NOT NULL,
    FOREIGN KEY (vragenlijst, periode) REFERENCES periode (vragenlijst, naam)
);

-- Access codes: only a hash and "used or not"; never which response a code produced.
CREATE TABLE code (
    hash        bytea PRIMARY KEY,
    vragenlijst text NOT NULL,
    periode     text NOT NULL,
    gebruikt    boolean NOT NULL DEFAULT false,
    FOREIGN KEY (vragenlijst, periode) REFERENCES periode (vragenlijst, naam)
);

-- Progress per ISO week (`2026-W07`), without the channel.
CREATE TABLE teller (
    week        text NOT NULL,
    vragenlijst text NOT NULL,
    periode     text NOT NULL,
    aantal      bigint NOT NULL,
    PRIMARY KEY (week, vragenlijst, periode)
);

-- What each item version asked, for reports across years.
CREATE TABLE vraag (
    vragenlijst text NOT NULL,
    id          text NOT NULL,
    versie      integer NOT NULL,
    categorie   text NOT NULL,
    soort       text NOT NULL,
    tekst       text NOT NULL,
    PRIMARY KEY (vragenlijst, id, versie)
);

-- The secret for form tokens and code hashes: 32 random bytes, inserted by the program.
CREATE TABLE geheim (
    naam   text PRIMARY KEY,
    waarde bytea NOT NULL
);

-- Staff accounts, their sessions, and the staff audit log (dashboard).
CREATE TABLE gebruiker (
    naam text PRIMARY KEY,
    rol  text NOT NULL CHECK (rol IN ('beheer', 'zorgteam')),
    hash text NOT NULL
);
CREATE TABLE sessie (
    hash      bytea PRIMARY KEY,
    gebruiker text NOT NULL REFERENCES gebruiker (naam) ON DELETE CASCADE,
    begin     bigint NOT NULL,
    laatst    bigint NOT NULL
);
CREATE TABLE audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tijd        bigint NOT NULL,
    gebruiker   text NOT NULL,
    gebeurtenis text NOT NULL,
    detail      text NOT NULL DEFAULT ''
);

-- Who typed in how many paper or oral answers for which period: counts only.
CREATE TABLE invoer (
    gebruiker   text NOT NULL,
    vragenlijst text NOT NULL,
    periode     text NOT NULL,
    kanaal      text NOT NULL CHECK (kanaal IN ('papier', 'mondeling')),
    aantal      bigint NOT NULL CHECK (aantal > 0),
    PRIMARY KEY (gebruiker, vragenlijst, periode, kanaal)
);

-- Which school the schema belongs to (storage::pg::claim): at most one row.
CREATE TABLE school (
    enig integer PRIMARY KEY CHECK (enig = 1),
    id   text NOT NULL
);

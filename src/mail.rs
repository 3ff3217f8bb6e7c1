//! E-mail about notifications, over SMTP. Without an SMTP server configured, notifications stay
//! in the app.
//!
//! An e-mail never names a pupil or says anything of a dossier: only that there is something,
//! and a link to log in. A user gets at most one e-mail per kind of notification per ten minutes;
//! notifications in between are marked as grouped with the one that was sent.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::clock::Clock;
use crate::domain::alerts::{self, Cadence};
use crate::domain::notification::Notice;
use crate::store::Db;

/// The quiet period per user and kind (issue: "at most one e-mail per user per kind per 10 minutes").
pub const GROUP_SECS: i64 = 10 * 60;

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL can hold a password: never print it.
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:25` (plain, for a relay on the same network),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://user:pass@host:465`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(Duration::from_secs(15)))
            .build();
        Ok(Mailer {
            transport,
            from: from.parse()?,
        })
    }
}

/// What a notification says in an e-mail; `None` for kinds that are not mailed.
pub fn text_for(kind: &str) -> Option<&'static str> {
    crate::domain::notification::Notice::parse(kind).and_then(|n| n.mail_text())
}

/// The e-mail for one notification: the recipient's own name, what kind of thing is waiting, and
/// the link to log in. Nothing about the pupil or the dossier.
pub fn compose(
    from: &Mailbox,
    to_name: &str,
    to_email: &str,
    text: &str,
    public_url: &str,
) -> anyhow::Result<Message> {
    let to = Mailbox::new(Some(to_name.to_string()), to_email.parse()?);
    let body = format!(
        "Beste {to_name},\n\n{text}\n\nLog in om te zien wat er voor u klaarstaat:\n{public_url}/start\n\n\
         Deze e-mail noemt bewust geen namen en geen details: die staan alleen in Meldcode zelf.\n"
    );
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject("Meldcode: er staat iets voor u klaar")
        .header(ContentType::TEXT_PLAIN)
        .body(body)?)
}

/// The overview e-mail (`domain::alerts`): the recipient's own name, per kind how many new
/// notifications, for an aandachtsfunctionaris how many dossiers are quiet, and the link to log
/// in. Counts only: nothing about any pupil or dossier.
pub fn compose_digest(
    from: &Mailbox,
    to_name: &str,
    to_email: &str,
    cadence: Cadence,
    lines: &[String],
    public_url: &str,
) -> anyhow::Result<Message> {
    let to = Mailbox::new(Some(to_name.to_string()), to_email.parse()?);
    let list: String = lines.iter().map(|l| format!("- {l}\n")).collect();
    let name = cadence.digest_name();
    let body = format!(
        "Beste {to_name},\n\nUw {name} van Meldcode. Sinds het vorige overzicht staat dit voor u klaar:\n\n\
         {list}\nLog in om te zien wat er voor u klaarstaat:\n{public_url}/start\n\n\
         Deze e-mail noemt bewust geen namen en geen details: die staan alleen in Meldcode zelf.\n\
         Hoe vaak u e-mail krijgt, kiest u zelf onder Mijn account:\n{public_url}/account/meldingen\n"
    );
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject(format!("Meldcode: uw {name}"))
        .header(ContentType::TEXT_PLAIN)
        .body(body)?)
}

/// The e-mail with a new user's activation link: the link, how long it works, and nothing else.
/// It is sent at once, not through the outbox: the outbox would have to keep the link itself,
/// and only its hash is stored (`store::tokens`).
pub fn compose_activation(
    from: &Mailbox,
    to_name: &str,
    to_email: &str,
    link: &str,
    valid_days: i64,
) -> anyhow::Result<Message> {
    let to = Mailbox::new(Some(to_name.to_string()), to_email.parse()?);
    let body = format!(
        "Beste {to_name},\n\nU heeft een account gekregen in Meldcode, waarin uw school de meldcode \
         huiselijk geweld en kindermishandeling volgt.\n\nKies uw wachtwoord via deze link:\n{link}\n\n\
         De link werkt één keer en is {valid_days} dagen geldig. Werkt hij niet meer, vraag dan de \
         beheerder van Meldcode om een nieuwe.\n"
    );
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject("Meldcode: kies uw wachtwoord")
        .header(ContentType::TEXT_PLAIN)
        .body(body)?)
}

/// Sends a new user's activation link (see [`compose_activation`]).
pub async fn send_activation(
    mailer: &Mailer,
    to_name: &str,
    to_email: &str,
    link: &str,
    valid_days: i64,
) -> anyhow::Result<()> {
    let message = compose_activation(&mailer.from, to_name, to_email, link, valid_days)?;
    mailer.transport.send(message).await?;
    Ok(())
}

/// How many times a notification's e-mail is tried before it is marked 'failed'.
pub const MAX_ATTEMPTS: i64 = 5;
/// How long a sender holds a claimed notification. A sender that dies halfway leaves the row in
/// 'sending'; after this it is taken again (counting as an attempt). Far above the SMTP timeout.
pub const CLAIM_SECS: i64 = 15 * 60;

/// The wait after failed attempt `attempts` (1-based): 5, 10, 20, 40 minutes.
pub fn retry_delay(attempts: i64) -> i64 {
    5 * 60 * (1 << (attempts.clamp(1, 8) - 1))
}

/// Mails the pending notifications with `mailer`, each with a link to `public_url`. Returns how
/// many e-mails were sent. (The job that calls this every minute is `jobs::Jobs::send_mail`.)
///
/// No notification stays in the outbox for ever: an address that cannot be mailed at all makes it
/// 'failed' at once; a failed send puts it back in the queue with a growing wait, and after
/// [`MAX_ATTEMPTS`] it is 'failed'. Failures are logged
/// with the notification's id, never the address.
pub async fn send_pending(
    mailer: &Mailer,
    db: &Db,
    clock: &Clock,
    public_url: &str,
) -> anyhow::Result<usize> {
    let mut sent = 0;
    let now = clock.unix();
    for n in db.pending_mail(now, 100).await? {
        let now = clock.unix();
        let Some(attempts) = db.claim_mail(n.id, now, now + CLAIM_SECS).await? else {
            continue;
        };
        let Some(text) = text_for(&n.kind) else {
            db.finish_mail(n.id, "none", now).await?;
            continue;
        };
        if attempts > MAX_ATTEMPTS {
            // Only a claim that ran out gets here: the sender of the last attempt died.
            tracing::error!(
                notification = n.id,
                attempts = attempts - 1,
                "a notification e-mail was given up after its last attempt did not finish"
            );
            db.finish_mail(n.id, "failed", now).await?;
            continue;
        }
        if db
            .mailed_since(n.user_id, &n.kind, now - GROUP_SECS)
            .await?
        {
            db.finish_mail(n.id, "grouped", now).await?;
            continue;
        }
        let message = match compose(&mailer.from, &n.name, &n.email, text, public_url) {
            Ok(message) => message,
            Err(_) => {
                // The address (stored before addresses were checked by the mail library) can
                // never be mailed: retrying would not help.
                tracing::error!(
                    notification = n.id,
                    user = n.user_id.get(),
                    "a notification e-mail cannot be made: the user's address is not valid"
                );
                db.finish_mail(n.id, "failed", now).await?;
                continue;
            }
        };
        match mailer.transport.send(message).await {
            Ok(_) => {
                db.finish_mail(n.id, "sent", now).await?;
                sent += 1;
            }
            Err(e) => {
                // Only the kind of failure and the SMTP code go to the log: a server's message
                // can repeat the address.
                let code = e.status().map(|c| c.to_string());
                if attempts >= MAX_ATTEMPTS {
                    tracing::error!(
                        notification = n.id,
                        attempts,
                        permanent = e.is_permanent(),
                        smtp_code = code.as_deref(),
                        "a notification e-mail could not be sent and is given up"
                    );
                    db.finish_mail(n.id, "failed", now).await?;
                } else {
                    tracing::warn!(
                        notification = n.id,
                        attempts,
                        timeout = e.is_timeout(),
                        smtp_code = code.as_deref(),
                        "sending a notification e-mail failed; it is tried again later"
                    );
                    db.retry_mail(n.id, now + retry_delay(attempts)).await?;
                    // The server may be unreachable or refusing: the rest waits for the next round
                    // (a minute), this one for its delay.
                    break;
                }
            }
        }
    }
    Ok(sent)
}

/// Sends the daily and weekly overviews that are due (`domain::alerts`) with `mailer`, each with
/// a link to `public_url`. Returns how many e-mails were sent. (The job that calls this is
/// `jobs::Jobs::send_digests`.)
///
/// Every overview is one row, one per user, cadence and moment ([`Db::open_digests`]), claimed
/// before it is sent: however many senders run at once, one of them sends it, and the others
/// find it taken or done. A sender that dies before it records the result leaves the overview
/// claimed; once the claim runs out ([`CLAIM_SECS`]) another sends it, so it is never lost; the
/// one case in which it can arrive twice is a sender dying between the SMTP server's "accepted"
/// and recording it, as for the outbox's single e-mails. A failed send waits and is tried again
/// as the outbox does ([`retry_delay`], [`MAX_ATTEMPTS`]).
pub async fn send_digests(
    mailer: &Mailer,
    db: &Db,
    clock: &Clock,
    public_url: &str,
) -> anyhow::Result<usize> {
    let now = clock.unix();
    for cadence in Cadence::DIGESTS {
        if let Some(due) = alerts::latest_due(cadence, now) {
            db.open_digests(cadence, due).await?;
        }
    }
    // One installation serves one organisation: its number of quiet days holds for all.
    let quiet = db
        .organisation()
        .await?
        .map(|org| org.quiet())
        .unwrap_or_default();
    let mut sent = 0;
    for id in db.claimable_digests(now, 100).await? {
        let now = clock.unix();
        let Some(claim) = db.claim_digest(id, now, now + CLAIM_SECS).await? else {
            continue;
        };
        if claim.attempts > MAX_ATTEMPTS {
            tracing::error!(
                digest = id,
                attempts = claim.attempts - 1,
                "an overview e-mail was given up after its last attempt did not finish"
            );
            db.finish_digest(id, "failed", now).await?;
            continue;
        }
        let counts: Vec<(Notice, i64)> = db
            .digest_counts(id)
            .await?
            .into_iter()
            .filter_map(|(kind, n)| Notice::parse(&kind).map(|notice| (notice, n)))
            .collect();
        if counts.is_empty() {
            // The user chose otherwise between its opening and its claim: nothing to say.
            db.finish_digest(id, "none", now).await?;
            continue;
        }
        let (quiet_dossiers, standing_still) = db
            .quiet_dossiers_of(
                claim.user_id,
                crate::domain::progress::quiet_since(now, quiet),
            )
            .await?;
        let waiting = alerts::Waiting {
            quiet: quiet_dossiers,
            standing_still,
            days: quiet.days(),
        };
        let lines = alerts::digest_lines(&counts, Some(waiting));
        let cadence = Cadence::from_stored(Some(&claim.cadence));
        let message = match compose_digest(
            &mailer.from,
            &claim.name,
            &claim.email,
            cadence,
            &lines,
            public_url,
        ) {
            Ok(message) => message,
            Err(_) => {
                tracing::error!(
                    digest = id,
                    user = claim.user_id.get(),
                    "an overview e-mail cannot be made: the user's address is not valid"
                );
                db.finish_digest(id, "failed", now).await?;
                continue;
            }
        };
        match mailer.transport.send(message).await {
            Ok(_) => {
                db.finish_digest(id, "sent", now).await?;
                sent += 1;
            }
            Err(e) => {
                let code = e.status().map(|c| c.to_string());
                if claim.attempts >= MAX_ATTEMPTS {
                    tracing::error!(
                        digest = id,
                        attempts = claim.attempts,
                        permanent = e.is_permanent(),
                        smtp_code = code.as_deref(),
                        "an overview e-mail could not be sent and is given up"
                    );
                    db.finish_digest(id, "failed", now).await?;
                } else {
                    tracing::warn!(
                        digest = id,
                        attempts = claim.attempts,
                        timeout = e.is_timeout(),
                        smtp_code = code.as_deref(),
                        "sending an overview e-mail failed; it is tried again later"
                    );
                    db.retry_digest(id, now + retry_delay(claim.attempts))
                        .await?;
                    break;
                }
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_names_no_pupil_and_links_to_the_start_page() {
        let from: Mailbox = "Meldcode <meldcode@school.example>".parse().unwrap();
        let m = compose(
            &from,
            "Ahmed",
            "af@school.example",
            text_for("nieuw_dossier").unwrap(),
            "https://meldcode.school.example",
        )
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("https://meldcode.school.example/start"));
        assert!(raw.contains("bewust geen namen"));
    }

    #[test]
    fn an_overview_email_lists_its_counts_links_to_the_start_page_and_the_choice() {
        let from: Mailbox = "Meldcode <meldcode@school.example>".parse().unwrap();
        let lines = alerts::digest_lines(
            &[(Notice::NieuwDossier, 2)],
            Some(alerts::Waiting {
                quiet: 1,
                standing_still: 0,
                days: 14,
            }),
        );
        let m = compose_digest(
            &from,
            "Ahmed",
            "af@school.example",
            Cadence::Weekly,
            &lines,
            "https://meldcode.school.example",
        )
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("Subject: Meldcode: uw wekelijks overzicht"));
        assert!(
            raw.contains("- 2 nieuwe meldingen van het soort: Er is een nieuw dossier geopend.")
        );
        assert!(raw.contains("- 1 open dossier op uw scholen heeft geen aantekening in 14 dagen."));
        assert!(raw.contains("https://meldcode.school.example/start"));
        assert!(raw.contains("https://meldcode.school.example/account/meldingen"));
        assert!(raw.contains("bewust geen namen"));
    }

    #[test]
    fn an_activation_email_carries_the_link_and_nothing_of_any_dossier() {
        let from: Mailbox = "Meldcode <meldcode@school.example>".parse().unwrap();
        let link = "https://meldcode.school.example/activeren/abc";
        let m = compose_activation(&from, "Ahmed", "af@school.example", link, 7).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains(link));
        assert!(raw.contains("Subject: Meldcode: kies uw wachtwoord"));
        assert!(!raw.contains("dossier"));
    }

    #[test]
    fn a_failed_send_waits_longer_each_time_and_never_for_ever() {
        assert_eq!(retry_delay(1), 5 * 60);
        assert_eq!(retry_delay(2), 10 * 60);
        assert_eq!(retry_delay(4), 40 * 60);
        assert!(retry_delay(i64::MAX) <= 24 * 60 * 60);
    }

    #[test]
    fn only_new_dossiers_emergencies_consultations_overdue_and_transfers_are_mailed() {
        for kind in [
            "nieuw_dossier",
            "noodmelding",
            "overleg_gevraagd",
            "achterstallig",
            "overdracht",
        ] {
            assert!(text_for(kind).is_some(), "{kind}");
        }
        for kind in ["toegevoegd", "besluit", "melding"] {
            assert!(text_for(kind).is_none(), "{kind}");
        }
    }
}

//! The mailer: sends the outbox (`app::storage::mail`) through the SMTP relay named by
//! `UCHET_SMTP_URL`, wakes when a letter is queued and retries failed ones with growing
//! pauses. Several server processes may run it: a letter is claimed before it is sent.

pub mod sink;

use std::sync::Arc;
use std::time::Duration;

use app::storage::{mail, Db};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How the relay is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP (a relay on the same host or a trusted network).
    None,
    /// STARTTLS required (`smtp://…?tls=starttls`, port 587).
    StartTls,
    /// TLS from the first byte (`smtps://`, port 465).
    Tls,
}

#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<(String, String)>,
    pub from: String,
}

impl std::fmt::Debug for SmtpSettings {
    // the password stays out of logs
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user.as_ref().map(|(u, _)| u))
            .field("from", &self.from)
            .finish()
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MailError {
    #[error("UCHET_SMTP_URL: {0}")]
    Url(String),
    #[error("UCHET_SMTP_FROM: not an address: {0}")]
    From(String),
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl SmtpSettings {
    /// `smtp://[user:password@]host[:port][?tls=starttls]` or `smtps://…`.
    pub fn from_url(url: &str, from: &str) -> Result<SmtpSettings, MailError> {
        let url = url.trim();
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| MailError::Url("expected smtp://host:port or smtps://host:port".into()))?;
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, q),
            None => (rest, ""),
        };
        let rest = rest.trim_end_matches('/');
        let (user, hostport) = match rest.rsplit_once('@') {
            Some((creds, hp)) => {
                let (u, p) = creds.split_once(':').unwrap_or((creds, ""));
                (Some((percent_decode(u), percent_decode(p))), hp)
            }
            None => (None, rest),
        };
        let starttls = query
            .split('&')
            .any(|kv| matches!(kv, "tls=starttls" | "tls=required"));
        let (security, default_port) = match scheme {
            "smtp" if starttls => (Security::StartTls, 587),
            "smtp" => (Security::None, 25),
            "smtps" => (Security::Tls, 465),
            other => return Err(MailError::Url(format!("unknown scheme {other:?}"))),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h.to_string(),
                p.parse()
                    .map_err(|_| MailError::Url(format!("bad port {p:?}")))?,
            ),
            None => (hostport.to_string(), default_port),
        };
        if host.is_empty() {
            return Err(MailError::Url("no host".into()));
        }
        from.parse::<Mailbox>()
            .map_err(|_| MailError::From(from.to_string()))?;
        Ok(SmtpSettings {
            host,
            port,
            security,
            user,
            from: from.to_string(),
        })
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
        let builder = match self.security {
            Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host),
            Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&self.host)?,
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&self.host)?,
        };
        let builder = builder.port(self.port).timeout(Some(Duration::from_secs(20)));
        let builder = match &self.user {
            Some((u, p)) => builder.credentials(Credentials::new(u.clone(), p.clone())),
            None => builder,
        };
        Ok(builder.build())
    }
}

/// One letter through the relay; the relay's refusal comes back as text for the outbox.
async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &str,
    letter: &mail::Letter,
) -> Result<(), String> {
    let to: Mailbox = letter
        .recipient
        .parse()
        .map_err(|e| format!("recipient: {e}"))?;
    let message = Message::builder()
        .from(from.parse().map_err(|e| format!("from: {e}"))?)
        .to(to)
        .subject(letter.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(letter.body.clone())
        .map_err(|e| e.to_string())?;
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Sends what is due once: returns how many letters left.
pub async fn send_due(db: &Db, settings: &SmtpSettings) -> Result<usize, app::storage::StorageError> {
    let now = app::storage::now();
    let due = mail::list_due(db, mail::MAIL, now, 50).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let transport = match settings.transport() {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(error = %e, "SMTP relay unusable");
            return Ok(0);
        }
    };
    let mut sent = 0;
    for letter in due {
        // held for five minutes: another server process leaves it alone meanwhile
        if !mail::claim(db, letter.id, now, 300).await? {
            continue;
        }
        match send(&transport, &settings.from, &letter).await {
            Ok(()) => {
                mail::mark_sent(db, letter.id, app::storage::now()).await?;
                tracing::info!(letter = letter.id, to = %letter.recipient, "letter sent");
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(letter = letter.id, to = %letter.recipient, error = %e, "letter not sent");
                mail::mark_failed(db, letter.id, letter.attempts, &e, app::storage::now()).await?;
            }
        }
    }
    Ok(sent)
}

/// Runs the mailer: at once when woken, else every half minute for retries.
pub async fn run(db: Db, settings: SmtpSettings, wake: Arc<tokio::sync::Notify>) {
    loop {
        if let Err(e) = send_due(&db, &settings).await {
            tracing::warn!(error = %e, "mail outbox not read");
        }
        let _ = tokio::time::timeout(Duration::from_secs(30), wake.notified()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FROM: &str = "Учёт <noreply@uk-ogni.ru>";

    #[test]
    fn relay_addresses_read_scheme_credentials_and_port() {
        let s = SmtpSettings::from_url("smtp://127.0.0.1:2525", FROM).unwrap();
        assert_eq!((s.host.as_str(), s.port, s.security, s.user.clone()), ("127.0.0.1", 2525, Security::None, None));
        let s = SmtpSettings::from_url("smtp://uk%40mail.ru:p%3Ass@smtp.mail.ru?tls=starttls", FROM).unwrap();
        assert_eq!(s.port, 587);
        assert_eq!(s.security, Security::StartTls);
        assert_eq!(s.user, Some(("uk@mail.ru".into(), "p:ss".into())));
        assert!(!format!("{s:?}").contains("p:ss"), "no password in logs");
        let s = SmtpSettings::from_url("smtps://smtp.yandex.ru", FROM).unwrap();
        assert_eq!((s.port, s.security), (465, Security::Tls));
    }

    #[test]
    fn bad_relay_addresses_are_refused_with_the_reason() {
        assert!(matches!(SmtpSettings::from_url("mail.ru:25", FROM), Err(MailError::Url(_))));
        assert!(matches!(SmtpSettings::from_url("imap://mail.ru", FROM), Err(MailError::Url(_))));
        assert!(matches!(SmtpSettings::from_url("smtp://mail.ru:x", FROM), Err(MailError::Url(_))));
        assert!(matches!(SmtpSettings::from_url("smtp://mail.ru", "nobody"), Err(MailError::From(_))));
    }
}

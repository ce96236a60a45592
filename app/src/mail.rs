//! Letters Uchet writes (server side): what they say, and putting them in the outbox. The
//! server's mailer sends the outbox through the configured SMTP relay; server functions only
//! write rows and wake it.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::errors::AppError;
use crate::models::format;
use crate::storage::{mail, Db};

/// What server functions need to know about mail, put into every request's context.
#[derive(Clone, Debug, Default)]
pub struct MailConfig {
    /// An SMTP relay is configured: letters will leave.
    pub enabled: bool,
    /// The address links in letters point to (`https://uchet.example.ru`); empty: the
    /// address the request came to.
    pub public_url: String,
    /// Wakes the mailer when a letter is queued.
    pub wake: Arc<tokio::sync::Notify>,
}

impl MailConfig {
    /// The base of links in letters: the configured address, else the one this request
    /// reached (its Host header, https when a proxy says so).
    pub fn base_url(&self, parts: Option<&http::request::Parts>) -> String {
        if !self.public_url.trim().is_empty() {
            return self.public_url.trim().trim_end_matches('/').to_string();
        }
        let Some(parts) = parts else {
            return String::new();
        };
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let host = header("x-forwarded-host")
            .or_else(|| header("host"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let scheme = header("x-forwarded-proto").unwrap_or_else(|| "http".into());
        format!("{scheme}://{host}")
    }
}

/// An invitation to the residents' cabinet.
pub struct Invite<'a> {
    pub company: &'a str,
    pub address: &'a str,
    pub premise: &'a str,
    pub code: &'a str,
    pub valid_until: NaiveDate,
    pub base_url: &'a str,
}

impl Invite<'_> {
    pub fn link(&self) -> String {
        format!("{}/register?code={}", self.base_url, self.code)
    }

    /// Subject and text, in Russian: residents' letters are.
    pub fn letter(&self) -> (String, String) {
        let subject = format!("Приглашение в личный кабинет — {}", self.company);
        let body = format!(
            "Здравствуйте!\r\n\r\n\
             {company} приглашает вас в личный кабинет жителя для помещения: {address}, кв. {premise}.\r\n\
             В кабинете можно передавать показания счётчиков, смотреть потребление, вызывать мастера и читать объявления.\r\n\r\n\
             Чтобы зарегистрироваться, откройте ссылку (она действует до {until}):\r\n\
             {link}\r\n\r\n\
             Или введите код {code} на странице {base}/register.\r\n\r\n\
             Если вы не ждали этого письма, просто не отвечайте на него.\r\n",
            company = self.company,
            address = self.address,
            premise = self.premise,
            until = format::date(self.valid_until),
            link = self.link(),
            code = self.code,
            base = self.base_url,
        );
        (subject, body)
    }
}

/// A one-time link that sets a new password.
pub struct PasswordReset<'a> {
    pub full_name: &'a str,
    pub token: &'a str,
    pub base_url: &'a str,
}

impl PasswordReset<'_> {
    pub fn link(&self) -> String {
        format!("{}/reset?token={}", self.base_url, self.token)
    }

    pub fn letter(&self) -> (String, String) {
        let subject = "Восстановление пароля — Учёт".to_string();
        let body = format!(
            "Здравствуйте, {name}!\r\n\r\n\
             Кто-то (надеемся, вы) попросил сменить пароль для входа в «Учёт».\r\n\
             Чтобы задать новый пароль, откройте ссылку в течение часа:\r\n\
             {link}\r\n\r\n\
             Ссылка действует один раз. Если вы не просили сменить пароль, ничего не делайте: \
             прежний пароль остаётся в силе.\r\n",
            name = self.full_name,
            link = self.link(),
        );
        (subject, body)
    }
}

/// Puts a letter in the outbox and wakes the mailer. Refused when no relay is configured:
/// the dispatcher learns at once that nothing will leave.
pub async fn queue(
    db: &Db,
    config: &MailConfig,
    company_id: i64,
    recipient: &str,
    letter: (String, String),
) -> Result<mail::Letter, AppError> {
    queue_to(db, config, Some(company_id), recipient, letter).await
}

/// [`queue`] for a letter that belongs to no company (a person's own password).
pub async fn queue_to(
    db: &Db,
    config: &MailConfig,
    company_id: Option<i64>,
    recipient: &str,
    (subject, body): (String, String),
) -> Result<mail::Letter, AppError> {
    if !config.enabled {
        return Err(AppError::MailNotConfigured);
    }
    let letter = mail::create(db, company_id, recipient, &subject, &body, crate::storage::now()).await?;
    config.wake.notify_one();
    Ok(letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invite_names_the_premise_and_links_to_registration_with_its_code() {
        let i = Invite {
            company: "ООО «УК Огни»",
            address: "ул. Мосфильмовская, д. 98 корп. 1",
            premise: "12",
            code: "ABCD-EFGH-JKMN",
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            base_url: "https://uchet.example.ru",
        };
        let (subject, body) = i.letter();
        assert_eq!(subject, "Приглашение в личный кабинет — ООО «УК Огни»");
        assert!(body.contains("ул. Мосфильмовская, д. 98 корп. 1, кв. 12"));
        assert!(body.contains("https://uchet.example.ru/register?code=ABCD-EFGH-JKMN"));
        assert!(body.contains("до 08.12.2026"));
    }

    #[test]
    fn links_use_the_configured_address_or_the_requests_host() {
        let configured = MailConfig {
            public_url: "https://uchet.example.ru/".into(),
            ..Default::default()
        };
        assert_eq!(configured.base_url(None), "https://uchet.example.ru");
        let (parts, _) = http::Request::get("/api/invite_resident")
            .header("host", "10.0.0.5:3000")
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(MailConfig::default().base_url(Some(&parts)), "http://10.0.0.5:3000");
    }
}

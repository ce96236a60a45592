//! Alerts' webhooks (issue 23, point 10): POSTs each JSON waiting on the outbox's webhook
//! channel to its URL — http, or https trusting the Mozilla roots — and counts a 2xx answer
//! as delivered; anything else is tried again later with growing pauses, as letters are. A
//! URL may carry a bot's secret in its path, so logs name only its host.

use std::sync::Arc;
use std::time::Duration;

use app::storage::{mail, Db, StorageError};
use http::header::{CONTENT_TYPE, HOST, USER_AGENT};
use hyper_util::rt::TokioIo;

/// A receiver must answer within this.
const TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("not an http(s) address")]
    Url,
    #[error("no connection: {0}")]
    Connect(String),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("HTTP: {0}")]
    Http(String),
    #[error("answered {0}")]
    Status(u16),
    #[error("no answer within {0} s")]
    Timeout(u64),
}

/// The host a URL names, for logs.
pub fn host_of(url: &str) -> String {
    url.parse::<http::Uri>().ok().and_then(|u| u.host().map(str::to_string)).unwrap_or_default()
}

/// POSTs one JSON body.
pub async fn post(url: &str, body: &str) -> Result<(), WebhookError> {
    tokio::time::timeout(TIMEOUT, post_now(url, body))
        .await
        .map_err(|_| WebhookError::Timeout(TIMEOUT.as_secs()))?
}

async fn post_now(url: &str, body: &str) -> Result<(), WebhookError> {
    let uri: http::Uri = url.parse().map_err(|_| WebhookError::Url)?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(WebhookError::Url),
    };
    let host = uri.host().filter(|h| !h.is_empty()).ok_or(WebhookError::Url)?;
    let bare = host.trim_start_matches('[').trim_end_matches(']').to_string();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let authority = uri.authority().map(|a| a.as_str().to_string()).unwrap_or_else(|| host.to_string());
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let request = http::Request::post(path)
        .header(HOST, authority)
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .header(USER_AGENT, concat!("Uchet/", env!("CARGO_PKG_VERSION"), " alerts"))
        .body(body.to_string())
        .map_err(|e| WebhookError::Http(e.to_string()))?;
    let tcp = tokio::net::TcpStream::connect((bare.as_str(), port))
        .await
        .map_err(|e| WebhookError::Connect(e.to_string()))?;
    let status = if https {
        let name = rustls::pki_types::ServerName::try_from(bare).map_err(|e| WebhookError::Tls(e.to_string()))?;
        let tls = connector()?.connect(name, tcp).await.map_err(|e| WebhookError::Tls(e.to_string()))?;
        send(TokioIo::new(tls), request).await?
    } else {
        send(TokioIo::new(tcp), request).await?
    };
    if status.is_success() {
        Ok(())
    } else {
        Err(WebhookError::Status(status.as_u16()))
    }
}

async fn send<T>(io: T, request: http::Request<String>) -> Result<http::StatusCode, WebhookError>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| WebhookError::Http(e.to_string()))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let response = sender.send_request(request).await.map_err(|e| WebhookError::Http(e.to_string()))?;
    Ok(response.status())
}

fn connector() -> Result<tokio_rustls::TlsConnector, WebhookError> {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| WebhookError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

/// Sends what is due at `now` once: returns how many left.
pub async fn send_due(db: &Db, now: i64) -> Result<usize, StorageError> {
    let mut sent = 0;
    for m in mail::list_due(db, mail::WEBHOOK, now, 50).await? {
        // held for five minutes: another server process leaves it alone meanwhile
        if !mail::claim(db, m.id, now, 300).await? {
            continue;
        }
        match post(&m.recipient, &m.body).await {
            Ok(()) => {
                mail::mark_sent(db, m.id, now).await?;
                tracing::info!(webhook = m.id, host = %host_of(&m.recipient), "alert posted");
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(webhook = m.id, host = %host_of(&m.recipient), error = %e, "alert not posted");
                mail::mark_failed(db, m.id, m.attempts, &e.to_string(), now).await?;
            }
        }
    }
    Ok(sent)
}

//! Transports: how the collector reaches a bus. One file per kind of line; all give a byte
//! stream the [`Line`](super::line::Line) talks over.

pub mod mqtt;
pub mod serial;
pub mod tcp;

use std::time::Duration;

use app::storage::communicator::Communicator;
use tokio::io::{AsyncRead, AsyncWrite};

use super::line::LineSettings;

/// A connected byte stream to a bus.
pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransportError {
    #[error("{line} line: {message}")]
    Open { line: String, message: String },
    #[error("{0} lines are not polled: their meters report by themselves")]
    NotPolled(String),
    #[error("unknown line kind {0:?}")]
    Unknown(String),
}

/// Opens the line of a communicator.
pub async fn open(c: &Communicator) -> Result<Box<dyn Stream>, TransportError> {
    match c.line.as_str() {
        "tcp" | "gprs" | "ethernet" | "modbus_tcp" => Ok(Box::new(tcp::open(c).await?)),
        "rs485" | "mbus" | "serial" => Ok(Box::new(serial::open(c)?)),
        "lorawan" => Err(TransportError::NotPolled(c.line.clone())),
        other => Err(TransportError::Unknown(other.to_string())),
    }
}

/// The communicator's timing as line settings (stored in milliseconds).
pub fn settings(c: &Communicator) -> LineSettings {
    let ms = |v: i64, default: u64| {
        Duration::from_millis(u64::try_from(v).ok().filter(|&v| v > 0).unwrap_or(default))
    };
    LineSettings {
        timeout: ms(c.timeout_ms, 500),
        char_timeout: ms(c.char_timeout_ms, 30),
        frame_gap: ms(c.frame_gap_ms, 5),
        retries: u32::try_from(c.retries).unwrap_or(2).min(10),
    }
}

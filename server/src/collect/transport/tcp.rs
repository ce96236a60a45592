//! Transparent TCP: a GPRS or Ethernet modem in front of an RS-485 or M-Bus bus passes bytes
//! both ways unchanged.

use std::time::Duration;

use app::storage::communicator::Communicator;
use tokio::net::TcpStream;

use super::TransportError;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub async fn open(c: &Communicator) -> Result<TcpStream, TransportError> {
    let err = |message: String| TransportError::Open {
        line: c.line.clone(),
        message,
    };
    let port = c
        .port
        .and_then(|p| u16::try_from(p).ok())
        .ok_or_else(|| err("no port set".into()))?;
    let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((c.host.as_str(), port)))
        .await
        .map_err(|_| err(format!("{}:{port} did not answer in 10 s", c.host)))?
        .map_err(|e| err(format!("{}:{port}: {e}", c.host)))?;
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

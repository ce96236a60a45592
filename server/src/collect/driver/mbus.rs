//! Reading a wired M-Bus meter by primary address: SND_NKE, then REQ_UD2 and its RSP_UD.

use tokio::io::{AsyncRead, AsyncWrite};

use super::{DriverError, Readout};
use crate::collect::line::{Line, LineError, Scan};
use crate::collect::protocol::mbus::{self, ACK};

/// The line's view of an M-Bus reply.
pub fn scan(buf: &[u8]) -> Scan {
    match mbus::scan(buf) {
        mbus::Scan::Incomplete => Scan::Incomplete,
        mbus::Scan::Frame { start, end } => Scan::Done { start, end },
        mbus::Scan::Bad { .. } => Scan::Bad,
    }
}

/// Reads the current data of the meter at `address`.
pub async fn read<S: AsyncRead + AsyncWrite + Unpin>(
    line: &mut Line<S>,
    address: u8,
) -> Result<Readout, DriverError> {
    // Some meters never acknowledge SND_NKE; only silence to REQ_UD2 counts as no answer.
    match line.exchange(&mbus::snd_nke(address), &scan).await {
        Ok(_) | Err(LineError::NoAnswer) | Err(LineError::Damaged) => {}
        Err(e) => return Err(e.into()),
    }
    let reply = line.exchange(&mbus::req_ud2(address, true), &scan).await?;
    if reply == [ACK] {
        return Err(mbus::MbusError::NotData.into());
    }
    let decoded = mbus::decode_reply(&reply, Some(address))?;
    Ok(Readout {
        serial: decoded.identification.clone(),
        measurements: decoded.measurements().cloned().collect(),
        stored: crate::collect::archive::stored(&decoded.records),
        status: decoded.status,
        ..Default::default()
    })
}

//! Reading a Mercury 230/236: open the channel, read energy since reset for the sum and each
//! tariff (and, when asked, the past periods and the event journals), close the channel.

use tokio::io::{AsyncRead, AsyncWrite};

use super::{DriverError, Readout};
use crate::collect::line::{Line, Scan};
use crate::collect::protocol::mercury::journal::{self as j, Journal};
use crate::collect::protocol::mercury::{self as m, EnergyArray, Level, STATUS_LEN};

/// One Mercury meter on a bus.
#[derive(Clone, Debug)]
pub struct Target {
    pub address: u8,
    pub level: Level,
    pub password: [u8; 6],
    /// Tariffs the meter counts (1–4); each is read besides the sum.
    pub tariffs: u8,
    /// Energies of past periods to read besides the registers (see `collect::archive`).
    pub arrays: Vec<EnergyArray>,
    /// Whether to read the event journals (ten records each of power, cover and magnet):
    /// thirty exchanges, so once a day, not every poll.
    pub journals: bool,
}

/// Finds a Mercury reply from `address` of `expected` bytes, or a status reply.
pub fn scan(buf: &[u8], address: u8, expected: usize) -> Scan {
    let mut bad = false;
    for start in 0..buf.len() {
        if buf[start] != address && address != m::ANY_ADDRESS {
            continue;
        }
        let rest = &buf[start..];
        if rest.len() >= expected {
            if m::crc_ok(&rest[..expected]) {
                return Scan::Done {
                    start,
                    end: start + expected,
                };
            }
            bad = true;
        }
        if expected != STATUS_LEN && rest.len() >= STATUS_LEN && m::crc_ok(&rest[..STATUS_LEN]) {
            return Scan::DoneIfQuiet {
                start,
                end: start + STATUS_LEN,
            };
        }
        if rest.len() < expected {
            return if bad { Scan::Bad } else { Scan::Incomplete };
        }
    }
    if bad {
        Scan::Bad
    } else {
        Scan::Incomplete
    }
}

async fn ask<S: AsyncRead + AsyncWrite + Unpin>(
    line: &mut Line<S>,
    address: u8,
    request: Vec<u8>,
) -> Result<Vec<u8>, DriverError> {
    let expected = m::expected_reply_len(&request).unwrap_or(STATUS_LEN);
    let reply = line
        .exchange(&request, &|b: &[u8]| scan(b, address, expected))
        .await?;
    Ok(m::check_reply(address, &reply, expected)?.to_vec())
}

/// The energy registers of one array (since reset, or a past period), sum and T1..Tn, in kWh.
async fn read_array<S: AsyncRead + AsyncWrite + Unpin>(
    line: &mut Line<S>,
    t: &Target,
    array: EnergyArray,
) -> Result<Vec<crate::collect::protocol::Measurement>, DriverError> {
    let mut out = Vec::new();
    for tariff in 0..=t.tariffs.min(4) {
        let data = ask(line, t.address, m::read_energy(t.address, array, tariff)).await?;
        out.extend(m::decode_energy(&data)?.measurements(tariff));
    }
    Ok(out)
}

/// Every written record of the power, cover and magnet journals. A journal the model does
/// not keep (the meter calls the request a bad command) is passed over.
async fn read_journals<S: AsyncRead + AsyncWrite + Unpin>(
    line: &mut Line<S>,
    address: u8,
) -> Result<Vec<(Journal, j::Record)>, DriverError> {
    let mut out = Vec::new();
    for journal in Journal::ALL {
        for record in 0..j::RECORDS {
            let data = match ask(line, address, j::read_journal(address, journal, record)).await {
                Err(DriverError::Mercury(m::MercuryError::Status(m::Status::BadCommand))) if record == 0 => break,
                other => other?,
            };
            if let Some(r) = j::decode_journal(&data)? {
                out.push((journal, r));
            }
        }
    }
    Ok(out)
}

/// Reads the energy registers since reset: sum and T1..Tn, in kWh.
pub async fn read<S: AsyncRead + AsyncWrite + Unpin>(
    line: &mut Line<S>,
    t: &Target,
) -> Result<Readout, DriverError> {
    ask(
        line,
        t.address,
        m::open_channel(t.address, t.level, t.password),
    )
    .await?;
    let result = async {
        let mut out = Readout::default();
        if let Ok(data) = ask(line, t.address, m::read_serial(t.address)).await {
            out.serial = m::decode_serial(&data).ok().map(|s| s.serial);
        }
        out.measurements = read_array(line, t, EnergyArray::SinceReset).await?;
        // A meter that cannot give a period, or a line that fails now, costs the archive only:
        // the registers are read, and the next poll asks again.
        for &array in &t.arrays {
            match read_array(line, t, array).await {
                Ok(ms) => out.arrays.push((array, ms)),
                Err(e) => {
                    out.arrays_error = Some(e.to_string());
                    break;
                }
            }
        }
        if t.journals {
            match read_journals(line, t.address).await {
                Ok(records) => out.journal = Some(records),
                Err(e) => out.journal_error = Some(e.to_string()),
            }
        }
        Ok::<_, DriverError>(out)
    }
    .await;
    // Best effort: a channel left open closes itself after a few minutes anyway.
    let _ = ask(line, t.address, m::close_channel(t.address)).await;
    result
}

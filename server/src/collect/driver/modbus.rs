//! Reading a Modbus device (RTU on a serial bus or behind a transparent modem, or Modbus
//! TCP) through tokio-modbus: the blocks of registers its model's map names, each request
//! under the line's timeout and retries (tokio-modbus has no timeout of its own), decoded
//! exactly. The bytes go through a [`Tap`] so the console's terminal shows them.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_modbus::client::{Context, Reader};
use tokio_modbus::slave::{Slave, SlaveContext};

use super::{DriverError, Readout};
use crate::collect::line::{Frame, LineError, LineSettings, LineStats};
use crate::collect::protocol::modbus::{Block, DeviceMap, ModbusError, Table};

/// How requests are framed on the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// Modbus RTU (address, PDU, CRC): RS-485 buses and transparent modems.
    Rtu,
    /// Modbus TCP (MBAP header): a Modbus TCP device or gateway.
    Tcp,
}

/// What went over the line, shared between the tap inside tokio-modbus and the poll.
#[derive(Default)]
pub struct TapLog {
    pub frames: Vec<Frame>,
    pub bytes_out: u64,
    pub bytes_in: u64,
    /// The last frame is a reply still being received.
    reading: bool,
}

/// Frames kept per meter, as on the other lines.
const TRACE_FRAMES: usize = 200;

/// A byte stream that notes every write (a request) and every run of reads (a reply).
pub struct Tap<S> {
    inner: S,
    log: Arc<Mutex<TapLog>>,
}

impl<S> Tap<S> {
    pub fn new(inner: S) -> (Tap<S>, Arc<Mutex<TapLog>>) {
        let log = Arc::new(Mutex::new(TapLog::default()));
        (
            Tap {
                inner,
                log: log.clone(),
            },
            log,
        )
    }
}

impl<S> std::fmt::Debug for Tap<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tap")
    }
}

fn note(log: &Mutex<TapLog>, d: char, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    let mut log = log.lock().expect("tap log");
    match d {
        '>' => {
            log.bytes_out += bytes.len() as u64;
            log.reading = false;
        }
        _ => log.bytes_in += bytes.len() as u64,
    }
    let continues = d == '<' && log.reading;
    if continues {
        if let Some(last) = log.frames.last_mut() {
            last.hex.push_str(&hex::encode(bytes));
            return;
        }
    }
    if log.frames.len() < TRACE_FRAMES {
        log.frames.push(Frame {
            t: chrono::Utc::now().timestamp_millis(),
            d,
            hex: hex::encode(bytes),
        });
    }
    log.reading = d == '<';
}

impl<S: AsyncRead + Unpin> AsyncRead for Tap<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            note(&self.log, '<', &buf.filled()[before..]);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tap<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = polled {
            note(&self.log, '>', &data[..n]);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A tokio-modbus client on a tapped line.
pub fn attach<S>(stream: S, framing: Framing) -> (Context, Arc<Mutex<TapLog>>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (tap, log) = Tap::new(stream);
    let ctx = match framing {
        Framing::Rtu => tokio_modbus::client::rtu::attach(tap),
        Framing::Tcp => tokio_modbus::client::tcp::attach(tap),
    };
    (ctx, log)
}

/// Reads the registers of `map` from the device at `address`.
pub async fn read(
    ctx: &mut Context,
    address: u8,
    map: &DeviceMap,
    settings: &LineSettings,
    stats: &mut LineStats,
) -> Result<Readout, DriverError> {
    ctx.set_slave(Slave(address));
    let mut words: Vec<(Block, Vec<u16>)> = Vec::new();
    for block in map.blocks() {
        let mut attempt = 0;
        let got = loop {
            stats.requests += 1;
            let call = async {
                match block.table {
                    Table::Holding => ctx.read_holding_registers(block.start, block.count).await,
                    Table::Input => ctx.read_input_registers(block.start, block.count).await,
                }
            };
            let failed = match tokio::time::timeout(settings.timeout, call).await {
                Ok(Ok(Ok(w))) => {
                    stats.replies += 1;
                    break w;
                }
                Ok(Ok(Err(exception))) => {
                    stats.replies += 1;
                    return Err(ModbusError::Exception(format!("{exception:?}")).into());
                }
                Err(_) => {
                    stats.timeouts += 1;
                    LineError::NoAnswer
                }
                Ok(Err(tokio_modbus::Error::Transport(e))) => match e.kind() {
                    // a reply that does not parse (CRC, length) is damage, not a broken line
                    std::io::ErrorKind::InvalidData => {
                        stats.crc_errors += 1;
                        LineError::Damaged
                    }
                    _ => return Err(LineError::Io(e.to_string()).into()),
                },
                Ok(Err(tokio_modbus::Error::Protocol(_))) => {
                    stats.crc_errors += 1;
                    LineError::Damaged
                }
            };
            if attempt >= settings.retries {
                return Err(failed.into());
            }
            attempt += 1;
            stats.retries += 1;
            tokio::time::sleep(settings.frame_gap).await;
        };
        if got.len() < block.count as usize {
            return Err(ModbusError::Short {
                wanted: block.count as usize,
                got: got.len(),
            }
            .into());
        }
        words.push((block, got));
    }
    Ok(Readout {
        measurements: map.decode(&words)?,
        ..Default::default()
    })
}

//! Simulated meters on simulated buses, for the tests and the demo: a Mercury 230 and an
//! M-Bus heat or water meter, each answering on a pseudo-terminal or a TCP connection like a
//! real one would, paced like a 9600 or 2400 baud line when asked, with a configurable
//! turnaround, silence, damaged replies and noise. For LoRaWAN, a ChirpStack stand-in that
//! publishes uplink events and a private Mosquitto to publish them through.

pub mod broker;
pub mod chirpstack;
pub mod mbus;
pub mod mercury;
pub mod modbus;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::task::JoinHandle;

/// A meter on a simulated bus.
pub trait Device: Send {
    /// The reply to a whole request frame, or `None` when this meter stays quiet (another
    /// address, a broadcast, a frame it does not understand).
    fn answer(&mut self, request: &[u8]) -> Option<Vec<u8>>;
    fn faults_mut(&mut self) -> &mut Faults;
}

/// A shared device: tests change its values and faults while the bus runs.
pub type Shared = Arc<Mutex<dyn Device>>;

/// What goes wrong with a meter, on purpose.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Never answers (a dead meter, a cut wire).
    pub silent: bool,
    /// Every n-th reply has a flipped bit (0 = never).
    pub damage_every: u32,
    /// Random bytes sent before each reply.
    pub noise_before: usize,
    /// Replies counted so far, for `damage_every`.
    pub replies: u32,
}

/// How the bus delivers bytes.
#[derive(Clone, Debug)]
pub struct Pace {
    /// Bytes leave at this rate when set (10 bits a byte for 8N1, 11 for 8E1).
    pub baud: Option<u32>,
    pub bits_per_byte: u32,
    /// Time between the end of a request and the first byte of the reply.
    pub turnaround: Duration,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            baud: None,
            bits_per_byte: 10,
            turnaround: Duration::from_millis(2),
        }
    }
}

impl Pace {
    /// A real line's pace: 9600 8N1 for Mercury, 2400 8E1 for M-Bus.
    pub fn real(baud: u32, bits_per_byte: u32, turnaround_ms: u64) -> Pace {
        Pace {
            baud: Some(baud),
            bits_per_byte,
            turnaround: Duration::from_millis(turnaround_ms),
        }
    }
}

/// How a bus protocol finds a whole request in received bytes: the frame's range, or wait
/// (noise is dropped after a quiet spell).
pub enum RequestScan {
    Frame(std::ops::Range<usize>),
    Wait,
}

/// Serves one bus on a byte stream until the other side closes it.
pub async fn serve<S>(
    mut stream: S,
    devices: Vec<Shared>,
    pace: Pace,
    scan: fn(&[u8]) -> RequestScan,
) -> std::io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut buf = Vec::new();
    let mut chunk = [0u8; 512];
    loop {
        // A request is whole once a frame is found; noise is dropped after a quiet spell.
        let n = match tokio::time::timeout(Duration::from_millis(50), stream.read(&mut chunk)).await
        {
            Ok(Ok(0)) => return Ok(()),
            Ok(Ok(n)) => n,
            Ok(Err(e)) => return Err(e),
            Err(_) => {
                buf.clear();
                continue;
            }
        };
        buf.extend_from_slice(&chunk[..n]);
        while let RequestScan::Frame(range) = scan(&buf) {
            let request = buf[range.clone()].to_vec();
            buf.drain(..range.end);
            let mut reply = None;
            for d in &devices {
                let mut d = d.lock().expect("simulated device");
                if let Some(mut r) = d.answer(&request) {
                    let f = d.faults_mut();
                    if f.silent {
                        break;
                    }
                    f.replies += 1;
                    if f.damage_every > 0 && f.replies % f.damage_every == 0 {
                        let i = r.len() / 2;
                        r[i] ^= 0x04;
                    }
                    let mut bytes: Vec<u8> = {
                        let mut rng = rand::thread_rng();
                        (0..f.noise_before).map(|_| rng.gen::<u8>()).collect()
                    };
                    bytes.extend_from_slice(&r);
                    reply = Some(bytes);
                    break;
                }
            }
            if let Some(reply) = reply {
                tokio::time::sleep(pace.turnaround).await;
                write_paced(&mut stream, &reply, &pace).await?;
            }
        }
    }
}

async fn write_paced<S: AsyncWrite + Unpin>(
    stream: &mut S,
    bytes: &[u8],
    pace: &Pace,
) -> std::io::Result<()> {
    match pace.baud {
        None => stream.write_all(bytes).await?,
        Some(baud) => {
            let per_byte =
                Duration::from_micros(1_000_000 * pace.bits_per_byte as u64 / baud as u64);
            // Bytes leave in bursts of about 4 ms, as a UART's FIFO hands them over: a frame
            // arrives as a steady stream, never with pauses a reader could take for its end.
            let burst = (4_000 / per_byte.as_micros().max(1) as usize).max(1);
            for part in bytes.chunks(burst) {
                stream.write_all(part).await?;
                stream.flush().await?;
                tokio::time::sleep(per_byte * part.len() as u32).await;
            }
        }
    }
    stream.flush().await
}

/// Runs a bus on a new pseudo-terminal pair and returns the path the collector opens, as it
/// would open `/dev/ttyUSB0`. The simulator keeps the other end.
pub fn pty_bus(
    devices: Vec<Shared>,
    pace: Pace,
    scan: fn(&[u8]) -> RequestScan,
) -> std::io::Result<(String, JoinHandle<()>)> {
    use tokio_serial::SerialPort;
    let (master, slave) = tokio_serial::SerialStream::pair().map_err(std::io::Error::other)?;
    let path = slave
        .name()
        .ok_or_else(|| std::io::Error::other("pseudo-terminal without a name"))?;
    let task = tokio::spawn(async move {
        // Holding the slave end keeps the master readable between the collector's opens.
        let _slave = slave;
        if let Err(e) = serve(master, devices, pace, scan).await {
            tracing::debug!(error = %e, "simulated serial bus stopped");
        }
    });
    Ok((path, task))
}

/// Runs a bus behind a TCP port, like a transparent GPRS or Ethernet modem in front of it:
/// one connection at a time, served in turn.
pub async fn tcp_bus(
    addr: &str,
    devices: Vec<Shared>,
    pace: Pace,
    scan: fn(&[u8]) -> RequestScan,
) -> std::io::Result<(std::net::SocketAddr, JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            if let Err(e) = serve(stream, devices.clone(), pace.clone(), scan).await {
                tracing::debug!(error = %e, "simulated TCP bus connection ended");
            }
        }
    });
    Ok((local, task))
}

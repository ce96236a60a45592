//! A line to a bus of meters: one request, one reply at a time, over any byte stream (a
//! serial port, a pseudo-terminal, a TCP connection to a transparent modem). It keeps the
//! gap between frames, waits for a reply with a timeout, retries, steps over noise and counts
//! what went wrong, so one bad meter or one noisy burst does not stop the poll.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::{timeout, Instant};

/// Timing of one line; every figure is configurable per communicator.
#[derive(Clone, Debug)]
pub struct LineSettings {
    /// How long to wait for the first byte of a reply.
    pub timeout: Duration,
    /// Silence after which a reply is taken as finished.
    pub char_timeout: Duration,
    /// Quiet time kept between the end of one frame and the next request.
    pub frame_gap: Duration,
    /// Further attempts after a failed one.
    pub retries: u32,
}

impl Default for LineSettings {
    fn default() -> Self {
        LineSettings {
            timeout: Duration::from_millis(500),
            char_timeout: Duration::from_millis(30),
            frame_gap: Duration::from_millis(5),
            retries: 2,
        }
    }
}

/// What happened on a line, for the poll log and the console.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineStats {
    pub requests: u64,
    pub replies: u64,
    pub timeouts: u64,
    pub crc_errors: u64,
    pub garbage_bytes: u64,
    pub retries: u64,
    pub bytes_out: u64,
    pub bytes_in: u64,
}

/// How a protocol finds its reply in the bytes received so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    Incomplete,
    /// A whole reply at `start..end`; bytes before it were noise.
    Done {
        start: usize,
        end: usize,
    },
    /// A whole reply if nothing more arrives (a short status where data was asked).
    DoneIfQuiet {
        start: usize,
        end: usize,
    },
    /// A full-length reply that fails its check; more bytes may still bring a good one.
    Bad,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("no answer")]
    NoAnswer,
    #[error("only damaged replies (CRC)")]
    Damaged,
    #[error("line failed: {0}")]
    Io(String),
}

/// One frame that went over the line, for the console's terminal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Frame {
    /// Unix time in milliseconds.
    pub t: i64,
    /// `>` sent, `<` received (a reply, a damaged reply or noise).
    pub d: char,
    pub hex: String,
}

/// Frames kept per meter: a whole Mercury or M-Bus read with retries fits many times over.
const TRACE_FRAMES: usize = 200;
/// The longest reply any of our protocols sends is an M-Bus long frame (261 bytes); bytes
/// beyond this are not a reply but a line gone wrong.
const MAX_REPLY_BYTES: usize = 4096;
/// Unasked bytes thrown away before a request: a line that never stops talking does not
/// hold the poll.
const MAX_DRAIN: Duration = Duration::from_millis(250);

impl LineSettings {
    /// However the bytes come — a reply that keeps trickling, a line that never goes quiet —
    /// one attempt ends by this time after its request: the first-byte timeout, plus room
    /// for the longest reply at the slowest line.
    pub fn reply_deadline(&self) -> Duration {
        self.timeout + (self.timeout * 4).max(Duration::from_secs(2))
    }
}

/// One open line.
pub struct Line<S> {
    stream: S,
    settings: LineSettings,
    pub stats: LineStats,
    quiet_since: Instant,
    trace: Vec<Frame>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Line<S> {
    pub fn new(stream: S, settings: LineSettings) -> Line<S> {
        Line {
            stream,
            settings,
            stats: LineStats::default(),
            quiet_since: Instant::now(),
            trace: Vec::new(),
        }
    }

    /// The frames since the last call, oldest first.
    pub fn take_trace(&mut self) -> Vec<Frame> {
        std::mem::take(&mut self.trace)
    }

    fn record(&mut self, d: char, bytes: &[u8]) {
        if self.trace.len() < TRACE_FRAMES && !bytes.is_empty() {
            self.trace.push(Frame {
                t: chrono::Utc::now().timestamp_millis(),
                d,
                hex: hex::encode(bytes),
            });
        }
    }

    pub fn settings(&self) -> &LineSettings {
        &self.settings
    }

    /// Sends `request` and returns the reply `scan` finds, retrying on silence or damage.
    /// A request that expects no reply (a broadcast) passes `None` as scan.
    pub async fn exchange(
        &mut self,
        request: &[u8],
        scan: &(dyn Fn(&[u8]) -> Scan + Sync),
    ) -> Result<Vec<u8>, LineError> {
        let mut last = LineError::NoAnswer;
        for attempt in 0..=self.settings.retries {
            if attempt > 0 {
                self.stats.retries += 1;
            }
            self.drain().await?;
            tokio::time::sleep_until(self.quiet_since + self.settings.frame_gap).await;
            self.stats.requests += 1;
            self.stats.bytes_out += request.len() as u64;
            self.record('>', request);
            self.stream
                .write_all(request)
                .await
                .map_err(|e| LineError::Io(e.to_string()))?;
            self.stream
                .flush()
                .await
                .map_err(|e| LineError::Io(e.to_string()))?;
            match self.receive(scan).await? {
                Ok(reply) => {
                    self.stats.replies += 1;
                    return Ok(reply);
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// Reads until `scan` finds a reply, the line goes quiet, or the timeout passes.
    async fn receive(
        &mut self,
        scan: &(dyn Fn(&[u8]) -> Scan + Sync),
    ) -> Result<Result<Vec<u8>, LineError>, LineError> {
        let mut buf = Vec::with_capacity(64);
        let mut chunk = [0u8; 256];
        let started = Instant::now();
        let deadline = started + self.settings.timeout;
        let last_moment = started + self.settings.reply_deadline();
        loop {
            let wait = if buf.is_empty() {
                deadline.saturating_duration_since(Instant::now())
            } else {
                self.settings
                    .char_timeout
                    .min(last_moment.saturating_duration_since(Instant::now()))
            };
            if !buf.is_empty() && (wait.is_zero() || buf.len() > MAX_REPLY_BYTES) {
                // still talking at the deadline, or more than any reply: not an answer
                self.record('<', &buf[..buf.len().min(MAX_REPLY_BYTES)]);
                self.stats.garbage_bytes += buf.len() as u64;
                tracing::debug!(bytes = buf.len(), "a reply that does not end");
                return Ok(Err(LineError::NoAnswer));
            }
            let got = timeout(wait, self.stream.read(&mut chunk)).await;
            self.quiet_since = Instant::now();
            match got {
                Ok(Ok(0)) => return Err(LineError::Io("connection closed".into())),
                Ok(Ok(n)) => {
                    self.stats.bytes_in += n as u64;
                    buf.extend_from_slice(&chunk[..n]);
                    match scan(&buf) {
                        Scan::Done { start, end } => {
                            self.stats.garbage_bytes += (buf.len() - (end - start)) as u64;
                            self.record('<', &buf);
                            return Ok(Ok(buf[start..end].to_vec()));
                        }
                        Scan::Bad | Scan::Incomplete | Scan::DoneIfQuiet { .. } => {}
                    }
                }
                Ok(Err(e)) => return Err(LineError::Io(e.to_string())),
                Err(_) if buf.is_empty() => {
                    self.stats.timeouts += 1;
                    return Ok(Err(LineError::NoAnswer));
                }
                Err(_) => {
                    // Quiet after some bytes: a short reply, a damaged one, or noise.
                    self.record('<', &buf);
                    match scan(&buf) {
                        Scan::DoneIfQuiet { start, end } => {
                            self.stats.garbage_bytes += (buf.len() - (end - start)) as u64;
                            return Ok(Ok(buf[start..end].to_vec()));
                        }
                        Scan::Bad => {
                            self.stats.crc_errors += 1;
                            tracing::debug!(bytes = %hex::encode(&buf), "damaged reply");
                            return Ok(Err(LineError::Damaged));
                        }
                        _ => {}
                    }
                    self.stats.garbage_bytes += buf.len() as u64;
                    tracing::debug!(bytes = %hex::encode(&buf), "noise instead of a reply");
                    return Ok(Err(LineError::NoAnswer));
                }
            }
        }
    }

    /// Throws away bytes that arrived unasked (late replies, noise) before a new request.
    async fn drain(&mut self) -> Result<(), LineError> {
        let mut chunk = [0u8; 256];
        let until = Instant::now() + MAX_DRAIN;
        while Instant::now() < until {
            let Ok(r) = timeout(Duration::from_millis(1), self.stream.read(&mut chunk)).await else {
                break;
            };
            match r {
                Ok(0) => return Err(LineError::Io("connection closed".into())),
                Ok(n) => {
                    self.stats.garbage_bytes += n as u64;
                    self.record('<', &chunk[..n]);
                    self.quiet_since = Instant::now();
                }
                Err(e) => return Err(LineError::Io(e.to_string())),
            }
        }
        Ok(())
    }

    /// Sends a frame no one answers (a broadcast).
    pub async fn send(&mut self, request: &[u8]) -> Result<(), LineError> {
        tokio::time::sleep_until(self.quiet_since + self.settings.frame_gap).await;
        self.stats.bytes_out += request.len() as u64;
        self.record('>', request);
        self.stream
            .write_all(request)
            .await
            .map_err(|e| LineError::Io(e.to_string()))?;
        self.quiet_since = Instant::now();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line that answers every request with bytes that never stop: one every few
    /// milliseconds, faster than the silence that ends a reply.
    async fn trickling() -> tokio::io::DuplexStream {
        let (ours, mut theirs) = tokio::io::duplex(1 << 16);
        tokio::spawn(async move {
            let mut sink = [0u8; 64];
            let _ = theirs.read(&mut sink).await;
            loop {
                if theirs.write_all(&[0x55]).await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });
        ours
    }

    #[tokio::test]
    async fn a_reply_that_keeps_trickling_ends_at_the_exchange_deadline() {
        let settings = LineSettings {
            timeout: Duration::from_millis(200),
            char_timeout: Duration::from_millis(30),
            frame_gap: Duration::from_millis(1),
            retries: 0,
        };
        let deadline = settings.reply_deadline();
        let mut line = Line::new(trickling().await, settings);
        let started = Instant::now();
        let got = line.exchange(&[0x10, 0x40, 0x01, 0x41, 0x16], &|_| Scan::Incomplete).await;
        assert_eq!(got, Err(LineError::NoAnswer));
        let took = started.elapsed();
        assert!(took >= deadline - Duration::from_millis(50), "{took:?}");
        assert!(took < deadline + MAX_DRAIN + Duration::from_millis(500), "{took:?}");
        assert!(line.stats.garbage_bytes > 0);
        assert!(line.take_trace().iter().all(|f| f.hex.len() <= 2 * MAX_REPLY_BYTES));
    }
}

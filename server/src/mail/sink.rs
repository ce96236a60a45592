//! An SMTP listener on loopback that keeps every letter it is given: the relay the mail
//! tests send through, speaking enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)
//! for lettre and any other client. Not a mail server: it delivers nothing.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A letter as the sink received it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent: headers, a blank line, the body (dot-stuffing undone).
    pub data: String,
}

impl Received {
    /// The body decoded from the transfer encoding lettre chose (quoted-printable or base64
    /// for Cyrillic text), so tests can look for words and links.
    pub fn text(&self) -> String {
        let (headers, body) = self.data.split_once("\r\n\r\n").unwrap_or(("", &self.data));
        let lower = headers.to_ascii_lowercase();
        if lower.contains("content-transfer-encoding: base64") {
            use base64::Engine;
            let joined: String = body.split_whitespace().collect();
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        } else if lower.contains("content-transfer-encoding: quoted-printable") {
            quoted_printable(body)
        } else {
            body.to_string()
        }
    }
}

fn quoted_printable(s: &str) -> String {
    let mut out = Vec::new();
    let bytes = s.replace("=\r\n", "").into_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'=' && i + 2 < bytes.len() {
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

/// A running sink: its port and what it has received.
#[derive(Clone)]
pub struct Sink {
    pub port: u16,
    pub letters: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    /// Listens on 127.0.0.1 (`port` 0: any free port) until the runtime ends.
    pub async fn start(port: u16) -> std::io::Result<Sink> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let port = listener.local_addr()?.port();
        let letters = Arc::new(Mutex::new(Vec::new()));
        let kept = letters.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    if let Err(e) = session(stream, kept).await {
                        tracing::debug!(error = %e, "smtp sink session ended");
                    }
                });
            }
        });
        Ok(Sink { port, letters })
    }

    pub fn received(&self) -> Vec<Received> {
        self.letters.lock().expect("sink lock").clone()
    }

    /// Waits up to `seconds` for at least `n` letters.
    pub async fn wait_for(&self, n: usize, seconds: u64) -> Vec<Received> {
        for _ in 0..seconds * 10 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        self.received()
    }
}

async fn session(stream: TcpStream, kept: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 uchet-sink ESMTP\r\n").await?;
    let mut letter = Received::default();
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-uchet-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            letter = Received {
                from: address(&line[10..]),
                ..Default::default()
            };
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            letter.to.push(address(&line[8..]));
            b"250 OK\r\n"
        } else if upper.starts_with("RSET") {
            letter = Received::default();
            b"250 OK\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push_str("\r\n");
            }
            letter.data = data;
            kept.lock().expect("sink lock").push(std::mem::take(&mut letter));
            b"250 OK: queued\r\n"
        } else if upper.starts_with("QUIT") {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            b"502 Command not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
    Ok(())
}

/// `<a@b.ru> SIZE=…` → `a@b.ru`.
fn address(s: &str) -> String {
    let s = s.trim();
    match (s.find('<'), s.find('>')) {
        (Some(a), Some(b)) if a < b => s[a + 1..b].to_string(),
        _ => s.split_whitespace().next().unwrap_or("").to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_printable_and_addresses_are_read_back() {
        assert_eq!(super::quoted_printable("=D0=9A=D0=BE=D0=B4 A=\r\nB"), "Код AB");
        assert_eq!(super::address(" <owner@mail.ru> SIZE=100"), "owner@mail.ru");
    }
}

//! A private Mosquitto for tests and benchmarks: its own port, persistence in a temporary
//! directory, a window of in-flight messages as large as a busy installation would set, and
//! a restart that keeps what it stored (SIGTERM, as a service restart does). Started as root
//! it keeps root (`user root`), else it would drop to `mosquitto` and could not write its
//! store: a restart would then forget every session and what was queued for it.
//! [`Broker::start_tls`] adds a TLS listener with a certificate of a CA made for the test.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Broker {
    pub port: u16,
    /// The TLS listener's port, when started with one.
    pub tls_port: Option<u16>,
    dir: PathBuf,
    child: Option<Child>,
}

/// The Mosquitto binary: on PATH, or where Debian puts it.
fn binary() -> PathBuf {
    for dir in std::env::var("PATH").unwrap_or_default().split(':') {
        let p = PathBuf::from(dir).join("mosquitto");
        if p.is_file() {
            return p;
        }
    }
    PathBuf::from("/usr/sbin/mosquitto")
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Broker {
    /// Starts a broker on a free port and waits until it listens.
    pub async fn start() -> std::io::Result<Broker> {
        Broker::start_with(false).await
    }

    /// Starts a broker with a plain listener and a TLS one (see [`Broker::ca_file`]).
    pub async fn start_tls() -> std::io::Result<Broker> {
        Broker::start_with(true).await
    }

    /// The CA that signed the TLS listener's certificate (for 127.0.0.1 and localhost).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    async fn start_with(tls: bool) -> std::io::Result<Broker> {
        let port = free_port()?;
        let dir =
            std::env::temp_dir().join(format!("uchet-mosquitto-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let mut conf = format!(
            "user root\nlistener {port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location {dir}/\nautosave_interval 1\nmax_inflight_messages 1000\nmax_queued_messages 1000000\nlog_dest none\n",
            dir = dir.display()
        );
        let tls_port = if tls {
            certificates(&dir)?;
            let p = free_port()?;
            conf.push_str(&format!(
                "listener {p} 127.0.0.1\ncafile {d}/ca.crt\ncertfile {d}/server.crt\nkeyfile {d}/server.key\n",
                d = dir.display()
            ));
            Some(p)
        } else {
            None
        };
        std::fs::write(dir.join("mosquitto.conf"), conf)?;
        let mut broker = Broker {
            port,
            tls_port,
            dir,
            child: None,
        };
        broker.launch().await?;
        Ok(broker)
    }

    async fn launch(&mut self) -> std::io::Result<()> {
        let child = Command::new(binary())
            .arg("-c")
            .arg(self.dir.join("mosquitto.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        self.child = Some(child);
        for _ in 0..100 {
            let plain = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok();
            let tls = match self.tls_port {
                Some(p) => tokio::net::TcpStream::connect(("127.0.0.1", p)).await.is_ok(),
                None => true,
            };
            if plain && tls {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(std::io::Error::other("mosquitto did not start listening"))
    }

    /// Stops the broker as a service manager does (SIGTERM: it saves its store first).
    pub async fn stop(&mut self) -> std::io::Result<()> {
        if let Some(mut child) = self.child.take() {
            Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status()?;
            for _ in 0..200 {
                if child.try_wait()?.is_some() {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            child.kill()?;
            child.wait()?;
        }
        Ok(())
    }

    /// Stops it, waits `down`, and starts it again on the same port with the same store.
    pub async fn restart(&mut self, down: Duration) -> std::io::Result<()> {
        self.stop().await?;
        tokio::time::sleep(down).await;
        self.launch().await
    }
}

/// A CA and a server certificate for 127.0.0.1 and localhost signed by it (EC P-256, two
/// days), made with the openssl command in `dir`: ca.crt, server.crt, server.key.
fn certificates(dir: &Path) -> std::io::Result<()> {
    let openssl = |args: &[&str]| -> std::io::Result<()> {
        let out = Command::new("openssl").args(args).current_dir(dir).output()?;
        if out.status.success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!(
                "openssl {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            )))
        }
    };
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    let mut ca = vec!["req", "-x509", "-days", "2", "-subj", "/CN=Uchet test CA", "-keyout", "ca.key", "-out", "ca.crt"];
    ca.extend(ec);
    openssl(&ca)?;
    let mut request = vec!["req", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"];
    request.extend(ec);
    openssl(&request)?;
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )?;
    openssl(&[
        "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "server.ext", "-out", "server.crt",
    ])
}

impl Drop for Broker {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// Sign-in flood (issue «Hardening», point 8): N sign-ins with random logins, all at once,
// against a running server; meanwhile a real user signs in. Prints what the server answered
// (nothing but 401/429/503 is allowed), how long the real sign-in took, and how much the
// server's memory grew (read from /proc of the process listening on the port).
//
//   node end2end/bench/flood.mjs [N=1000] [URL=http://127.0.0.1:3000] [LOGIN=dispatcher] [PASSWORD=uchet-demo]
//
// The server must run on this machine (its memory is read from /proc). Started with
// UCHET_TRUSTED_PROXIES=127.0.0.1, it takes each request's X-Forwarded-For as its address:
// the flood then comes from a thousand addresses, as a real one would, and the real user
// from one of their own. Without it every request comes from 127.0.0.1 and the flood is
// stopped by the per-address allowance, the real user too.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const N = Number(process.argv[2] || 1000);
const BASE = process.argv[3] || process.env.UCHET_URL || 'http://127.0.0.1:3000';
const LOGIN = process.argv[4] || 'dispatcher';
const PASSWORD = process.argv[5] || 'uchet-demo';

/** The pid of the process listening on the URL's port (Linux /proc). */
function serverPid(port) {
  const hex = Number(port).toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(table, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1].endsWith(`:${hex}`) && f[3] === '0A') inodes.add(f[9]);
    }
  }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      try {
        const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
        if (m && inodes.has(m[1])) return pid;
      } catch { /* gone */ }
    }
  }
  return null;
}

function rssMiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function signIn(login, password, address) {
  const started = performance.now();
  try {
    const r = await fetch(`${BASE}/api/sign_in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-forwarded-for': address },
      body: new URLSearchParams({ login, password }).toString(),
      redirect: 'manual',
    });
    await r.arrayBuffer();
    return { status: r.status, ms: performance.now() - started };
  } catch (e) {
    return { status: `error ${e.cause?.code || e.message}`, ms: performance.now() - started };
  }
}

const port = new URL(BASE).port || '80';
const pid = serverPid(port);
if (!pid) {
  console.error(`no process listens on port ${port} here`);
  process.exit(2);
}
const before = rssMiB(pid);
let peak = before;
const sampler = setInterval(() => { peak = Math.max(peak, rssMiB(pid)); }, 50);

const random = () => Math.random().toString(36).slice(2, 12);
const byte = () => Math.floor(Math.random() * 250) + 1;
const flood = Array.from({ length: N }, () => signIn(`x-${random()}`, random(), `10.${byte()}.${byte()}.${byte()}`));
// the real user signs in while the flood is on its way
await new Promise((r) => setTimeout(r, 100));
const user = await signIn(LOGIN, PASSWORD, '198.51.100.7');
const answers = await Promise.all(flood);
clearInterval(sampler);
await new Promise((r) => setTimeout(r, 1000));
const after = rssMiB(pid);

const byStatus = {};
for (const a of answers) byStatus[a.status] = (byStatus[a.status] || 0) + 1;
const times = answers.map((a) => a.ms).sort((a, b) => a - b);
const allowed = new Set([401, 429, 503]);
const unexpected = Object.keys(byStatus).filter((s) => !allowed.has(Number(s)));
console.log(JSON.stringify({
  requests: N,
  answers: byStatus,
  flood_p50_ms: Math.round(times[Math.floor(N / 2)]),
  flood_max_ms: Math.round(times[N - 1]),
  real_user: { status: user.status, ms: Math.round(user.ms) },
  server_rss_mib: { before: Math.round(before), peak: Math.round(peak), after: Math.round(after), growth: Math.round(peak - before) },
  only_401_429_503: unexpected.length === 0,
}, null, 2));
process.exit(unexpected.length === 0 ? 0 : 1);

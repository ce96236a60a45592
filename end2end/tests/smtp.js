// A loopback SMTP listener for the browser tests: the server under test sends its letters
// (invites, alerts) to it (scripts/test sets UCHET_SMTP_URL and UCHET_SMTP_PORT).
import net from 'node:net';

export const SMTP_PORT = Number(process.env.UCHET_SMTP_PORT || 0);

/** Enough SMTP to take letters: EHLO, MAIL, RCPT, DATA, QUIT. Resolves to
 * `{ letters, close }`; each letter is its raw text. */
export function smtpSink(port = SMTP_PORT) {
  const letters = [];
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      let buffer = '';
      let inData = false;
      let data = [];
      const reply = (line) => socket.write(line + '\r\n');
      reply('220 e2e-sink ESMTP');
      socket.on('data', (chunk) => {
        buffer += chunk.toString('utf8');
        let i;
        while ((i = buffer.indexOf('\r\n')) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (inData) {
            if (line === '.') { inData = false; letters.push(data.join('\r\n')); data = []; reply('250 OK'); } else { data.push(line.startsWith('.') ? line.slice(1) : line); }
            continue;
          }
          const u = line.toUpperCase();
          if (u.startsWith('EHLO')) { socket.write('250-e2e-sink\r\n250 8BITMIME\r\n'); } else if (u === 'DATA') { inData = true; reply('354 go ahead'); } else if (u.startsWith('QUIT')) { reply('221 bye'); socket.end(); } else { reply('250 OK'); }
        }
      });
    });
    server.listen(port, '127.0.0.1', () => resolve({ letters, close: () => server.close() }));
  });
}

/** A letter's text: quoted-printable or base64 as lettre wrote it. */
export function bodyOf(letter) {
  const [head, ...rest] = letter.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  if (/content-transfer-encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding: quoted-printable/i.test(head)) {
    const bytes = [];
    const s = body.replace(/=\r\n/g, '');
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) { bytes.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; } else { bytes.push(...Buffer.from(s[i], 'utf8')); }
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

/** A letter's decoded subject: RFC 2047 words (as lettre wrote them) joined byte by byte,
 * so a character split between two words stays whole. */
export function subjectOf(letter) {
  const head = letter.split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' ');
  const line = (head.split('\r\n').find((l) => /^subject:/i.test(l)) || '').replace(/^subject:\s*/i, '');
  const words = [...line.matchAll(/=\?utf-8\?([bq])\?([^?]*)\?=/gi)];
  if (words.length === 0) return line;
  const bytes = words.map(([, enc, text]) => (enc.toLowerCase() === 'b'
    ? Buffer.from(text, 'base64')
    : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1')));
  return Buffer.concat(bytes).toString('utf8');
}

// The member's side of a secret vote as the browser runs it (static/js/ballot.js on @noble/curves), timed in Node:
// the key share, the encrypted ballot with its proof, the decryption share. Usage: node bench/ballot_browser_time.mjs [n]
import { decryptionShare, encryptBallot, keyShare, sumOfA } from "../static/js/ballot.js";

const n = Number(process.argv[2] || 50);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { key: [], ballot: [], share: [] };
for (let i = 0; i < n; i++) {
  const ctx = `round=1|epoch=0|member=${i}`;
  let t = performance.now();
  const key = keyShare(ctx);
  times.key.push(performance.now() - t);
  t = performance.now();
  const ballot = encryptBallot(key.public, i % 2, ctx);
  times.ballot.push(performance.now() - t);
  t = performance.now();
  decryptionShare(key.secret, key.public, sumOfA([ballot]).toHex(), ctx);
  times.share.push(performance.now() - t);
}
const total = times.key.map((k, i) => k + times.ballot[i] + times.share[i]);
console.log(
  `RESULT ballot_browser n=${n} key_ms_p50=${median(times.key).toFixed(1)} ballot_ms_p50=${median(times.ballot).toFixed(1)} ` +
    `share_ms_p50=${median(times.share).toFixed(1)} member_total_ms_p50=${median(total).toFixed(1)}`,
);

// The member's side of the secret ballot (docs/ballot.md): key share, encrypted ballot, decryption share.
// Same formulas as commissions/grading/ballot_crypto.py; the group arithmetic is @noble/curves' ristretto255.
// The member's secret key stays in this browser (localStorage, one per vote and run) and is never sent.
import {
  bytesToHex,
  concatBytes,
  hexToBytes,
  randomBytes,
  ristretto255,
  sha512,
  utf8ToBytes,
} from "../vendor/noble/noble-ristretto255.js";

const Point = ristretto255.Point;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const VERSION = "attestation-ballot-v1";
const G = Point.BASE;

const mod = (n) => ((n % L) + L) % L;
const numLE = (bytes) => bytes.reduceRight((acc, b) => (acc << 8n) + BigInt(b), 0n);
const scalarHex = (n) => {
  let v = mod(n);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytesToHex(out);
};
const scalarFromHex = (hex) => numLE(hexToBytes(hex));
const pointHex = (p) => bytesToHex(p.toBytes());
const point = (hex) => Point.fromHex(hex);
const mul = (p, n) => (mod(n) === 0n ? Point.ZERO : p.multiply(mod(n)));
const base = (n) => mul(G, n);
const randomScalar = () => mod(numLE(randomBytes(64))) || 1n;
const challenge = (label, ...points) =>
  mod(numLE(sha512(concatBytes(utf8ToBytes(label), new Uint8Array([0]), ...points.map((p) => p.toBytes())))));

export function keyShare(ctx) {
  const x = randomScalar();
  const k = randomScalar();
  const h = base(x);
  const R = base(k);
  const c = challenge(`${VERSION}|key|${ctx}`, h, R);
  return { secret: scalarHex(x), public: pointHex(h), proof: { R: pointHex(R), s: scalarHex(k + c * x) } };
}

export function encryptBallot(jointKeyHex, vote, ctx, choices = 2) {
  const H = point(jointKeyHex);
  const r = randomScalar();
  const a = base(r);
  const b = base(BigInt(vote)).add(mul(H, r));
  const w = randomScalar();
  const branches = [];
  for (let m = 0; m < choices; m++) {
    if (m === vote) {
      branches.push({ A: base(w), B: mul(H, w) });
    } else {
      const c = randomScalar();
      const z = randomScalar();
      const A = base(z).subtract(mul(a, c));
      const B = mul(H, z).subtract(mul(b.subtract(base(BigInt(m))), c));
      branches.push({ A, B, c, z });
    }
  }
  const c = challenge(`${VERSION}|ballot|${ctx}`, H, a, b, ...branches.flatMap((br) => [br.A, br.B]));
  const others = branches.reduce((acc, br, m) => (m === vote ? acc : acc + br.c), 0n);
  branches[vote].c = mod(c - others);
  branches[vote].z = mod(w + branches[vote].c * r);
  return {
    a: pointHex(a),
    b: pointHex(b),
    proof: branches.map((br) => ({ A: pointHex(br.A), B: pointHex(br.B), c: scalarHex(br.c), z: scalarHex(br.z) })),
  };
}

export function decryptionShare(secretHex, publicHex, aggregateAHex, ctx) {
  const x = scalarFromHex(secretHex);
  const A = point(aggregateAHex);
  const d = mul(A, x);
  const k = randomScalar();
  const R1 = base(k);
  const R2 = mul(A, k);
  const c = challenge(`${VERSION}|decrypt|${ctx}`, point(publicHex), A, d, R1, R2);
  return { d: pointHex(d), proof: { R1: pointHex(R1), R2: pointHex(R2), s: scalarHex(k + c * x) } };
}

export function sumOfA(ballots) {
  return ballots.reduce((acc, ballot) => acc.add(point(ballot.a)), Point.ZERO);
}

// ------------------------------------------------------------------ the page

const storageKey = (state) => `attestation-ballot:${state.round}:${state.epoch}:${state.membership}`;

async function post(el, url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": el.querySelector("[name=csrfmiddlewaretoken]").value },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}

function say(el, text, kind = "info") {
  const box = el.querySelector("[data-ballot-message]");
  if (box) {
    box.className = `alert alert-${kind} py-2 small mb-2`;
    box.textContent = text;
    box.hidden = !text;
  }
}

function showProgress(el, state) {
  // who has sent a key, voted, sent a share: the table the secretary watches, kept current without a reload
  const card = el.closest(".card-body") || document;
  for (const row of state.progress || []) {
    const tr = card.querySelector(`[data-ballot-member="${row.m}"]`);
    if (!tr) continue;
    tr.querySelector("[data-col=key]").textContent = row.key ? "✓" : "…";
    tr.querySelector("[data-col=voted]").textContent = row.voted ? "✓" : "…";
    tr.querySelector("[data-col=share]").textContent = row.share ? "✓" : state.phase === "closing" ? "…" : "—";
  }
}

async function step(el) {
  const state = await (await fetch(el.dataset.stateUrl, { credentials: "same-origin" })).json();
  const t = JSON.parse(el.querySelector("script[type=\"application/json\"]").textContent);
  if (state.phase !== el.dataset.phase && (state.phase === "closed" || state.epoch !== Number(el.dataset.epoch))) {
    window.location.reload();
    return false;
  }
  showProgress(el, state);
  const buttons = el.querySelectorAll("[data-ballot-choice]");
  if (!state.membership) {
    // watching only (the secretary): the page reloads once the vote is counted or run again
    return true;
  }
  const stored = localStorage.getItem(storageKey(state));
  if (!state.me.key) {
    const key = stored ? JSON.parse(stored) : keyShare(state.context);
    localStorage.setItem(storageKey(state), JSON.stringify(key));
    await post(el, el.dataset.keyUrl, { public: key.public, proof: key.proof, epoch: state.epoch });
    return true;
  }
  if (!stored) {
    say(el, t.lost, "warning");
    buttons.forEach((b) => (b.disabled = true));
    return state.phase !== "closed";
  }
  const key = JSON.parse(stored);
  if (state.phase === "voting") {
    const ready = Boolean(state.joint_key) && !state.me.voted;
    buttons.forEach((b) => (b.disabled = !ready));
    if (!state.joint_key) say(el, t.waiting_keys);
    else if (state.me.voted) say(el, t.voted, "success");
    else say(el, "");
    el.jointKey = state.joint_key;
    el.ballotState = state;
  }
  if (state.phase === "closing" && !state.me.share) {
    const total = sumOfA(state.ballots);
    if (pointHex(total) !== state.tally_a) throw new Error(t.mismatch);
    const share = decryptionShare(key.secret, key.public, state.tally_a, state.context);
    await post(el, el.dataset.shareUrl, { share: share.d, proof: share.proof, epoch: state.epoch });
    say(el, t.share_sent, "success");
  }
  return true;
}

function start(el) {
  if (el.dataset.ballotStarted) return;
  el.dataset.ballotStarted = "1";
  const t = JSON.parse(el.querySelector("script[type=\"application/json\"]").textContent);
  el.querySelectorAll("[data-ballot-choice]").forEach((button) =>
    button.addEventListener("click", async (event) => {
      event.preventDefault();
      const state = el.ballotState;
      if (!state || !state.joint_key) return;
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return; // a ballot cannot be changed
      const vote = button.dataset.ballotChoice === "for" ? 1 : 0;
      el.querySelectorAll("[data-ballot-choice]").forEach((b) => (b.disabled = true));
      try {
        const ballot = encryptBallot(state.joint_key, vote, state.context);
        await post(el, el.dataset.ballotUrl, { ballot, epoch: state.epoch });
        say(el, t.voted, "success");
      } catch (error) {
        say(el, error.message, "danger");
        el.querySelectorAll("[data-ballot-choice]").forEach((b) => (b.disabled = false));
      }
    }),
  );
  const loop = async () => {
    if (!el.isConnected) return;
    let again = true;
    try {
      again = await step(el);
    } catch (error) {
      say(el, error.message, "danger");
    }
    if (again) setTimeout(loop, 1000);
  };
  loop();
}

function startAll(root) {
  (root.querySelectorAll ? root : document).querySelectorAll("[data-ballot]").forEach(start);
  if (root.matches && root.matches("[data-ballot]")) start(root);
}

if (typeof document !== "undefined") {
  startAll(document);
  document.addEventListener("htmx:load", (event) => startAll(event.target));
}

// Signing with the signer's own key through NCALayer, the NCA RK desktop application (wss://127.0.0.1:13579).
//
// Protocol: NCALayer's JSON over WebSocket, module "kz.gov.pki.knca.basics", method "sign", format "cms":
//   -> {"module": "kz.gov.pki.knca.basics", "method": "sign", "args": {"format": "cms", "data": <base64>,
//       "signingParams": {"decode": true, "encapsulate": false, "digested": false, "tsaProfile": null},
//       "signerParams": {"extKeyUsageOids": [], "chain": []}, "locale": "kk"}}
//   <- {"status": true, "body": {"result": <base64 CMS> or [<base64 CMS>]}}   signed
//   <- {"status": true, "body": {}}                                          the person closed the window
//   <- {"status": false, "code": "...", "message": "..."}                   NCALayer's error
// NCALayer hashes the bytes itself with the algorithm of the key the person chooses and returns a detached CMS
// (CAdES-BES); the portal embeds it into the PDF after checking it. The older "kz.gov.pki.knca.commonUtils"
// answers ({"code": "200", "responseObject": ...}) are understood too; messages without a status (NCALayer's
// greeting with its version) are skipped.
//
// The page marks each sign button with data-sign-url (step 1: the portal prepares the PDF and answers the bytes to
// sign and the URL to post the CMS to). #ncalayer carries NCALayer's URL (settings.NCALAYER_URL; tests point it at
// the stand-in) and the messages in the page's language.
(function () {
  "use strict";

  function NCALayerClient(url) {
    this.url = url;
  }

  NCALayerClient.prototype.connect = function () {
    var url = this.url;
    return new Promise(function (resolve, reject) {
      var socket, settled = false;
      try {
        socket = new WebSocket(url);
      } catch (e) {
        reject({ kind: "not_running" });
        return;
      }
      var timer = setTimeout(function () {
        if (!settled) { settled = true; socket.close(); reject({ kind: "not_running" }); }
      }, 5000);
      socket.onopen = function () { if (!settled) { settled = true; clearTimeout(timer); resolve(socket); } };
      socket.onerror = function () { if (!settled) { settled = true; clearTimeout(timer); reject({ kind: "not_running" }); } };
    });
  };

  // Resolves with the base64 CMS, or rejects with {kind: "cancelled" | "not_running" | "failed", message}.
  NCALayerClient.prototype.signCms = function (base64Data, locale) {
    return this.connect().then(function (socket) {
      return new Promise(function (resolve, reject) {
        var done = false;
        function finish(fn, value) { if (!done) { done = true; socket.close(); fn(value); } }
        socket.onmessage = function (event) {
          var answer;
          try { answer = JSON.parse(event.data); } catch (e) { return; }
          if (answer.status === true) {
            var result = answer.body && answer.body.result;
            if (Array.isArray(result)) { result = result[0]; }
            if (result) { finish(resolve, String(result)); } else { finish(reject, { kind: "cancelled" }); }
          } else if (answer.status === false) {
            finish(reject, { kind: "failed", message: answer.message || answer.code || "" });
          } else if (answer.code === "200" && answer.responseObject) {
            finish(resolve, String(answer.responseObject));
          } else if (answer.code === "500") {
            var cancelled = /cancel/i.test(answer.message || "");
            finish(reject, { kind: cancelled ? "cancelled" : "failed", message: answer.message || "" });
          }
        };
        socket.onclose = function () { finish(reject, { kind: "not_running" }); };
        socket.send(JSON.stringify({
          module: "kz.gov.pki.knca.basics",
          method: "sign",
          args: {
            format: "cms",
            data: base64Data,
            signingParams: { decode: true, encapsulate: false, digested: false, tsaProfile: null },
            signerParams: { extKeyUsageOids: [], chain: [] },
            locale: locale
          }
        }));
      });
    });
  };

  window.NCALayerClient = NCALayerClient;

  function post(url, fields, csrf) {
    var body = new FormData();
    Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf }
    }).then(function (response) {
      return response.json().catch(function () { return { error: null }; });
    });
  }

  function init() {
    var box = document.getElementById("ncalayer");
    if (!box) { return; }
    var client = new NCALayerClient(box.getAttribute("data-url"));
    var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
    var csrf = csrfInput ? csrfInput.value : "";
    var locale = document.documentElement.lang || "kk";
    var status = document.getElementById("ncalayer-status");

    function say(kind, text) {
      status.className = "alert " + (kind === "error" ? "alert-danger" : "alert-info");
      status.textContent = text;
      status.hidden = false;
    }
    function message(name) { return box.getAttribute("data-msg-" + name) || ""; }

    document.querySelectorAll("[data-sign-url]").forEach(function (button) {
      button.addEventListener("click", function () {
        document.querySelectorAll("[data-sign-url]").forEach(function (b) { b.disabled = true; });
        say("info", message("preparing"));
        post(button.getAttribute("data-sign-url"), {}, csrf).then(function (prepared) {
          if (!prepared.data) { throw { kind: "refused", message: prepared.error || message("failed") }; }
          say("info", message("choose-key"));
          return client.signCms(prepared.data, locale).then(function (cms) {
            say("info", message("checking"));
            return post(prepared.finish, { cms: cms }, csrf);
          });
        }).then(function (result) {
          if (result.ok) { window.location.reload(); return; }
          throw { kind: "refused", message: result.error || message("failed") };
        }).catch(function (problem) {
          var kind = (problem && problem.kind) || "failed";
          var text = kind === "not_running" ? message("not-running")
            : kind === "cancelled" ? message("cancelled")
            : kind === "refused" ? problem.message
            : message("failed") + (problem && problem.message ? " (" + problem.message + ")" : "");
          say("error", text);
          document.querySelectorAll("[data-sign-url]").forEach(function (b) { b.disabled = false; });
        });
      });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

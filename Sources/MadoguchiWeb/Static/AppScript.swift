// AppScript: /static/app.js — what script adds to pages that work without it: the
// auto-logout countdown (a warning a minute before, then the login page with "logged
// out after inactivity"; the server ends the session on its own either way), the
// keyboard shortcuts j/k, Enter, r, /, Esc and ?, the inquiry's presence line (who is
// viewing it and who holds the reply lock, polled every few seconds from a route that
// does not extend the session; the reply button hides while someone else holds it) and
// the undo timer of a queued reply. It never builds
// markup from strings (no innerHTML, only textContent), so the page needs no
// script-src beyond 'self'.

enum AppScript {
    static let text = #"""
        "use strict";
        (function () {
          var countdown = document.getElementById("countdown");
          if (countdown) {
            var idle = parseInt(countdown.getAttribute("data-idle"), 10) || 0;
            var clock = countdown.querySelector(".clock");
            var deadline = Date.now() + idle * 1000;
            var tick = function () {
              var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
              var s = left % 60;
              clock.textContent = Math.floor(left / 60) + ":" + (s < 10 ? "0" : "") + s;
              if (left <= 60) { countdown.classList.add("warn"); countdown.setAttribute("role", "alert"); }
              if (left <= 0) { window.location.assign("/login?reason=idle"); return; }
              window.setTimeout(tick, 1000);
            };
            tick();
          }
          var presence = document.getElementById("presence");
          if (presence) {
            var viewers = presence.querySelector(".viewers");
            var lock = document.getElementById("lock-holder");
            var poll = function () {
              var request = new XMLHttpRequest();
              request.open("GET", presence.getAttribute("data-url"));
              request.setRequestHeader("Accept", "application/json");
              request.onload = function () {
                if (request.status !== 200) { return; }
                var state;
                try { state = JSON.parse(request.responseText); } catch (e) { return; }
                viewers.textContent = state.viewers.length ? state.viewers.join(", ") : "—";
                presence.hidden = state.viewers.length === 0;
                if (lock) {
                  var text = state.lock || "";
                  if (lock.getAttribute("data-text") !== text) {
                    lock.setAttribute("data-text", text);
                    lock.textContent = text;
                    lock.hidden = text === "";
                  }
                  // Someone else started a reply since the page was drawn: no second one
                  // from here (the server refuses it anyway).
                  var start = document.getElementById("reply-start");
                  if (start && start.form) { start.form.hidden = text !== ""; }
                }
              };
              request.send();
            };
            window.setInterval(poll, 5000);
          }
          Array.prototype.forEach.call(document.querySelectorAll(".undo[data-left]"), function (undo) {
            var left = parseInt(undo.getAttribute("data-left"), 10) || 0;
            var shown = undo.querySelector(".left");
            var end = Date.now() + left * 1000;
            var step = function () {
              var seconds = Math.max(0, Math.ceil((end - Date.now()) / 1000));
              shown.textContent = String(seconds);
              if (seconds <= 0) {
                var button = undo.querySelector("button");
                if (button) { button.disabled = true; }
                window.setTimeout(function () { window.location.reload(); }, 1500);
                return;
              }
              window.setTimeout(step, 1000);
            };
            step();
          });
          var rows = Array.prototype.slice.call(document.querySelectorAll("tr.row"));
          var current = -1;
          var select = function (index) {
            if (rows.length === 0) { return; }
            if (current >= 0) { rows[current].classList.remove("current"); }
            current = Math.max(0, Math.min(rows.length - 1, index));
            rows[current].classList.add("current");
            var link = rows[current].querySelector("a");
            if (link) { link.focus(); }
          };
          document.addEventListener("keydown", function (event) {
            if (event.ctrlKey || event.metaKey || event.altKey) { return; }
            var target = event.target;
            var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA");
            if (event.key === "Escape") {
              if (typing) { target.blur(); return; }
              var back = document.getElementById("back");
              if (back) { window.location.assign(back.getAttribute("href")); }
              return;
            }
            if (typing) { return; }
            if (event.key === "j") { select(current + 1); event.preventDefault(); }
            else if (event.key === "k") { select(current - 1); event.preventDefault(); }
            else if (event.key === "r") {
              var reply = document.getElementById("reply-start");
              if (reply && !(reply.form && reply.form.hidden)) { reply.click(); event.preventDefault(); }
            }
            else if (event.key === "/") {
              var search = document.getElementById("search");
              if (search) { search.focus(); event.preventDefault(); }
            } else if (event.key === "?") {
              var help = document.getElementById("help");
              if (help) { help.hidden = !help.hidden; }
            }
          });
        })();
        """#
}

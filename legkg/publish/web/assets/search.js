// Suggest terms as the reader types (label, synonym, CURIE or code); the form works without this.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest]");
  var terms = window.LEGKG_TERMS;
  if (!form || !terms) { return; }
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".suggestions");
  function fold(s) { return s.toLowerCase().replace(/[-_\u2010\u2013]/g, " ").replace(/\s+/g, " ").trim(); }
  input.addEventListener("input", function () {
    var q = fold(input.value);
    list.textContent = "";
    if (q.length < 2) { return; }
    var shown = 0;
    for (var i = 0; i < terms.length && shown < 10; i++) {
      var t = terms[i];
      var names = [t.l].concat(t.s);
      var hit = names.filter(function (n) { return fold(n).indexOf(q) >= 0; })[0] ||
        [t.id].concat(t.c).filter(function (c) { return c.toLowerCase().indexOf(q) === 0; })[0];
      if (!hit) { continue; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = t.h;
      a.textContent = t.l;
      li.appendChild(a);
      var extra = document.createElement("span");
      extra.className = "hint";
      extra.textContent = " " + t.k + (hit !== t.l ? " \u00b7 " + hit : "");
      li.appendChild(extra);
      list.appendChild(li);
      shown++;
    }
  });
})();

// The book on paper is dark text on white (issue 13).  A reader in dark mode
// who prints (the theme's print button, Ctrl+P) gets the light theme for the
// print and their own theme back afterwards: the dark theme's light-grey text
// would print grey on white paper.
(function () {
  var root = document.documentElement, saved = null;
  window.addEventListener("beforeprint", function () {
    saved = root.dataset.theme || "";
    root.dataset.theme = "light";
  });
  window.addEventListener("afterprint", function () {
    if (saved !== null) root.dataset.theme = saved;
    saved = null;
  });
})();

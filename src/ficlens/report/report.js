/* ficlens report: optional niceties; the page is complete without JavaScript. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".focus-btn");
  var current = null;

  function focusOn(css) {
    var quotes = document.querySelectorAll(".story .q");
    for (var i = 0; i < quotes.length; i++) {
      quotes[i].classList.toggle("is-focus", css !== null && quotes[i].classList.contains(css));
    }
    document.body.classList.toggle("focused", css !== null);
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].setAttribute("aria-pressed", String(buttons[j].getAttribute("data-focus") === css));
    }
    current = css;
  }

  for (var k = 0; k < buttons.length; k++) {
    buttons[k].hidden = false;
    buttons[k].setAttribute("aria-pressed", "false");
    buttons[k].addEventListener("click", function (event) {
      var css = event.currentTarget.getAttribute("data-focus");
      focusOn(css === current ? null : css);
    });
  }
})();

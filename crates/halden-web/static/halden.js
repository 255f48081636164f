// Halden's only script, and the pages work without it: after a failed submit it moves focus to
// the error summary, so that a screen reader reads it and the keyboard starts there; a link in
// the summary moves focus to its field (bringing the field's label or legend into view).
(function () {
  'use strict';
  function start() {
    var summary = document.querySelector('.error-summary');
    if (!summary) return;
    summary.focus();
    summary.addEventListener('click', function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link) return;
      var field = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
      if (!field) return;
      event.preventDefault();
      var group = field.closest('fieldset');
      var caption = (group && group.querySelector('legend')) ||
        document.querySelector('label[for="' + field.id + '"]') || field;
      caption.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();

/* What markup of CKAN 2.12.0 and its extensions did with inline script, done by listeners, so
   that the portal's Content-Security-Policy needs no 'unsafe-inline' for scripts: the inline
   event handlers (removed from the templates by security_headers.InlineScript), htmx's hx-on
   (eval is off, see base.html), javascript: links and a timer given no function. */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }
  function check(id) { var input = byId(id); if (input) { input.checked = true; } }
  function focus(id) { var input = byId(id); if (input) { input.focus(); } }

  /* package/snippets/resource_upload_field.html: the Upload, Link, Clear Upload and the two
     Remove buttons, each doing what its onclick did. */
  function resourceButton(button) {
    if (button.id === "resource-upload-button") {
      check("resource-url-upload");
      byId("field-resource-upload").click();
    } else if (button.id === "resource-link-button") {
      check("resource-url-link");
      focus("field-resource-url");
    } else if (button.parentElement.previousElementSibling === byId("field-clear-upload")) {
      check("field-clear-upload");
      focus("field-resource-upload");
    } else {
      check("resource-url-none");
      var first = byId("resource-upload-button") || byId("resource-link-button");
      if (first) { first.focus(); }
      var upload = button.closest(".upload-type");
      if (upload && upload.querySelector("#field-resource-upload")) {
        byId("field-resource-upload").value = "";
      } else if (byId("field-resource-url")) {
        byId("field-resource-url").value = "";
      }
    }
  }

  /* user/snippets/api_token_*.html: the revoke button is enabled while a token is ticked,
     and disabled again after the revocation. */
  function updateRevokeButton() {
    var button = byId("revoke-tokens-button");
    if (button) { button.disabled = !document.querySelector("input[name=token]:checked"); }
  }

  var HANDLERS = [
    { event: "click", run: resourceButton,
      selector: ".resource-upload-field #resource-upload-button, .resource-upload-field #resource-link-button, .resource-upload-field .btn-remove-url" },
    { event: "change", selector: "#api-tokens-table input[name=token]", run: updateRevokeButton },
    // ckanext-datatablesview: the Refit button, and the _id column the view form always shows
    { event: "click", selector: "#refit-button", run: function () { window.fitColText(); } },
    { event: "click", selector: "input[name=show_fields][readonly]",
      run: function (element, event) { event.preventDefault(); } }
  ];

  HANDLERS.forEach(function (handler) {
    document.addEventListener(handler.event, function (event) {
      var element = event.target.closest && event.target.closest(handler.selector);
      if (element) { handler.run(element, event); }
    });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.target.querySelector && event.target.querySelector("#revoke-tokens-button")) {
      byId("revoke-tokens-button").disabled = true;
    }
  });

  /* ckanext-datatablesview calls setTimeout(initFilterObserver(), 100) once its Czech texts
     are loaded: the callback is undefined, which a browser evaluates as the string
     "undefined", i.e. eval, which the policy refuses. Such a timer can do nothing; dropped. */
  var setTimeoutOfWindow = window.setTimeout;
  window.setTimeout = function (callback) {
    if (callback === undefined) { return 0; }
    return setTimeoutOfWindow.apply(window, arguments);
  };

  /* javascript: links are placeholders for handlers bound by script; following one would run
     inline script. Scheming's "Add" of a multiple-text field names its action in the link. */
  var MULTIPLE_ADD = /^javascript:MultipleText\.multiple_add\('([^']*)'\);?$/;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='javascript:']");
    if (!link) { return; }
    event.preventDefault();
    var add = MULTIPLE_ADD.exec(link.getAttribute("href"));
    if (add && window.MultipleText) { window.MultipleText.multiple_add(add[1]); }
  }, true);
})();

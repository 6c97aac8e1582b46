// LTI Dynamic Registration: tells the platform's window that registration is complete.
if (document.querySelector("[data-lti-registered]")) {
  (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
}

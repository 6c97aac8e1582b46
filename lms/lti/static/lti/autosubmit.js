// Sends a signed LTI message on to the platform as soon as the page has loaded.
document.querySelectorAll("form[data-lti-autosubmit]").forEach((form) => form.submit());

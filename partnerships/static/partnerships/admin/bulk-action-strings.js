// The register listing's selection counts say "partnership"; without these the admin says "item".
(function addPartnershipStrings() {
  const strings = window.wagtailConfig && window.wagtailConfig.STRINGS;
  if (!strings || !strings.BULK_ACTIONS) {
    document.addEventListener("DOMContentLoaded", addPartnershipStrings, { once: true });
    return;
  }
  strings.BULK_ACTIONS.PARTNERSHIP = {
    SINGULAR: "1 partnership selected",
    PLURAL: "%(objects)s partnerships selected",
    ALL: "All %(objects)s partnerships on this screen selected",
    ALL_IN_LISTING: "All partnerships in listing selected",
  };
})();

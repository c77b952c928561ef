// Writes v14_build/strings.json: the dates FairEmail prints in its reply/forward header line in eight locales, and the
// header labels of its extended reply header (issue 14, helper h2, session 13, 2026-12-04).
// - The header (M66B/FairEmail app/src/main/java/eu/faircode/email/EntityMessage.java at 5eb8875273bd21005c344662d425458a014b006f,
//   getReplyHeader) is `date + " " + MessageHelper.formatAddresses(from) + ":"` by default, or, with the extended_reply
//   preference, title_from/title_to/title_cc/title_date/title_subject lines, each label followed by a space. The date is
//   Helper.getDateTimeInstance(context) (MEDIUM, MEDIUM): the locale's MEDIUM date pattern + " " +
//   getBestDateTimePattern(locale, "Hms") (or "hms" when the device uses a 12-hour clock), in the device's zone; Android
//   takes both from ICU's CLDR data. Rendered here with node's Intl (ICU): {dateStyle: 'medium'} for the date and
//   {timeStyle: 'medium', hourCycle} for the time (CLDR's medium time pattern, which is the
//   locale's Hms/hms pattern for these eight: 'HH:mm:ss', 'H:mm:ss' (es), 'h:mm:ss a' (en)), so no
//   date is typed by hand. en is en-US with the 12-hour clock (its Android default); the others use 24 hours.
// - The labels are typed from the stored app/src/main/res/values*/strings.xml (read_file; commit per language below).
// Run: node bench/data/threads/v14_build/extract.js > bench/data/threads/v14_build/strings.json
const LANGS = {
  en: { tag: 'en-US', h12: true, source: 'app/src/main/res/values/strings.xml at 51c47987eaeea593fa969eaa6fb42f72cdbae432',
    from: 'From:', to: 'To:', cc: 'CC:', date: 'Date:', subject: 'Subject:' },
  de: { tag: 'de-DE', h12: false, source: 'app/src/main/res/values-de/strings.xml at e3b467437810749ffaf89545ae9e45cb21039086 (title_from, title_to, title_cc, title_subject; no title_date in that version)',
    from: 'Von:', to: 'An:', cc: 'CC:', subject: 'Betreff:' },
  fr: { tag: 'fr-FR', h12: false, source: 'app/src/main/res/values-fr/strings.xml at e3b467437810749ffaf89545ae9e45cb21039086 (no title_date in that version)',
    from: 'De :', to: 'À :', cc: 'Cc :', subject: 'Objet :' },
  es: { tag: 'es-ES', h12: false, source: 'app/src/main/res/values-es-rES/strings.xml at 6cbb1992ce6e3a0301a1673fbe18e10d6617ca06',
    from: 'De:', to: 'A:', cc: 'CC:', date: 'Fecha:', subject: 'Asunto:' },
  nl: { tag: 'nl-NL', h12: false, source: 'app/src/main/res/values-nl/strings.xml at d9f641edf13e64a39f0316e144e8b6774db8b1a8 (no title_date in that version)',
    from: 'Van:', to: 'Aan:', cc: 'CC:', subject: 'Onderwerp:' },
  pl: { tag: 'pl-PL', h12: false, source: 'app/src/main/res/values-pl/strings.xml at e3b467437810749ffaf89545ae9e45cb21039086 (no title_date in that version)',
    from: 'Od:', to: 'Do:', cc: 'DW:', subject: 'Temat:' },
  it: { tag: 'it-IT', h12: false, source: 'app/src/main/res/values-it/strings.xml at e3b467437810749ffaf89545ae9e45cb21039086 (no title_date in that version)',
    from: 'Da:', to: 'A:', cc: 'CC:', subject: 'Oggetto:' },
  ru: { tag: 'ru-RU', h12: false, source: 'app/src/main/res/values-ru/strings.xml at de266b1cdec8d26ecdc3e5dcce5839a388819a32 (untranslated in that version; no title_date)' },
};
const TIMES = ['2022-03-08T14:05:09', '2022-03-09T08:47:30', '2022-11-23T19:30:00', '2022-06-01T10:12:44', '2022-01-17T21:03:15'];
const out = { node: process.version, icu: process.versions.icu, cldr: process.versions.cldr, langs: {} };
for (const [lang, s] of Object.entries(LANGS)) {
  const dates = {};
  const date = new Intl.DateTimeFormat(s.tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const time = new Intl.DateTimeFormat(s.tag, { timeStyle: 'medium', hourCycle: s.h12 ? 'h12' : 'h23', timeZone: 'UTC' });
  for (const t of TIMES) {
    const when = new Date(t + 'Z');
    dates[t] = date.format(when) + ' ' + time.format(when);
  }
  out.langs[lang] = { ...s, dates };
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

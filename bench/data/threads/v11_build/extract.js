// Writes v11_build/strings.json: Tutanota's (Tuta Mail's) reply and forward strings in six UI languages and the dates it
// prints in them (issue 14, helper h7, session 10, 2026-12-02).
// - The strings are typed from tutao/tutanota's src/translations/<lang>.ts (read with the stored-repository tools;
//   commit per language below): by_label, which the mail viewer puts between the date and the sender's address in
//   its reply line `formatDateTime(date) + " " + lang.get("by_label") + " " + sender.address + ":"` above a
//   <blockquote class="tutanota_quote">, and date_label, from_label, to_label, cc_label, subject_label, the labels of
//   its forward block (German only here) (src/mail-app/mail/view/MailViewerViewModel.ts, reply / createResponseMailArgsForForwarding).
// - The date is formatDateTime(date) = lang.formats.dateTime.format(date), an Intl.DateTimeFormat(tag, {day: 'numeric',
//   month: 'short', year: 'numeric', hour: 'numeric', minute: 'numeric'}) (src/common/misc/LanguageViewModel.ts at
//   a199a0fdf31df6d6983cf0c00e3d425715ed811f, updateFormats); rendered here by node's own Intl (ICU), so no date is
//   typed by hand. The language tag is the code itself for these six languages.
// Run: node bench/data/threads/v11_build/extract.js > bench/data/threads/v11_build/strings.json
const LANGS = {
  de: { commit: '001fbcbff9fbb5684f45fe343b8d7e3163557e2d', by: 'von',
    date: 'Datum', from: 'Von', to: 'An', cc: 'Cc', subject: 'Betreff' },
  fr: { commit: '001fbcbff9fbb5684f45fe343b8d7e3163557e2d', by: 'de' },
  ru: { commit: '001fbcbff9fbb5684f45fe343b8d7e3163557e2d', by: 'От' },
  es: { commit: '01a07521e0b9e4df0cf70d1dbc3a3f152c95a806', by: 'por' },
  nl: { commit: '028b9405a82571bbeb4c4e678f1ab750b29e9cab', by: 'van' },
  pl: { commit: '00c1d10636c8b58799600c255241bcbf7704dd00', by: 'od' },
};
const TIMES = ['2023-09-16T09:42:00', '2023-02-17T15:08:00', '2023-11-15T11:26:00', '2023-12-18T20:51:00'];
const DATETIME = { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: 'numeric', timeZone: 'UTC' };
const out = { node: process.version, icu: process.versions.icu, datetime_options: DATETIME, langs: {} };
for (const [lang, s] of Object.entries(LANGS)) {
  const dates = {};
  for (const t of TIMES) dates[t] = new Intl.DateTimeFormat(lang, DATETIME).format(new Date(t + 'Z'));
  out.langs[lang] = { ...s, source: `tutao/tutanota ${s.commit} src/translations/${lang}.ts`, dates };
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

// Writes v15_build/strings.json: the dates Proton Mail's web client prints in its reply line and forward block, and the
// translated strings around them (issue 14, helper h6, session 13, 2026-12-04).
// - The date (ProtonMail/WebClients applications/mail/src/app/helpers/date.ts at 29800a9e31446352f8f0693153ed9bc470a5f389,
//   formatFullDate) is date-fns `format(date, 'PPPPp', { locale: dateLocale })`, dateLocale being the date-fns locale of
//   the UI language (the user's own 12/24-hour setting left at the locale's default). Rendered here with date-fns 2.30.0
//   from the npm registry (`npm install date-fns@2` in a scratch folder, then NODE_PATH=that/node_modules), so no date is
//   typed by hand: "Tuesday, March 8th, 2022 at 2:05 PM", "Dienstag, 8. März 2022 um 14:05", "mardi 8 mars 2022 à 14:05",
//   "martes, 8 de marzo de 2022 a las 14:05".
// - The strings: the English msgids are in applications/mail/src/app/helpers/message/draftContent/plaintext.ts at
//   0c0e26f9804bc5a7cd66f08291626a6e6e1a0db2 (generatePlaintextPreviousMessageInfos); the translations are typed from
//   applications/mail/locales/de_DE.json, fr_FR.json and es_ES.json at 002edb4090d2629e982ea0b5736ac3ff6627781e (read_file), contexts
//   'Message' ("On ${ date }, ${ senderString } wrote:") and 'forwardmessage' (From/Date/Subject/To).
// Run: NODE_PATH=/path/to/node_modules node bench/data/threads/v15_build/extract.js > bench/data/threads/v15_build/strings.json
const { format } = require('date-fns');
const locales = require('date-fns/locale');
const LANGS = {
  en: { locale: 'enUS', source: 'msgids of plaintext.ts (en_US is the source language)',
    wrote: 'On ${date}, ${sender} wrote:', from: 'From: ${sender}', date: 'Date: On ${date}', subject: 'Subject: ${subject}', to: 'To: ${to}' },
  de: { locale: 'de', source: 'applications/mail/locales/de_DE.json at 002edb4090d2629e982ea0b5736ac3ff6627781e',
    wrote: '${sender} schrieb am ${date}:', from: 'Von: ${sender}', date: 'Datum: Am ${date}', subject: 'Betreff: ${subject}', to: 'An: ${to}' },
  fr: { locale: 'fr', source: 'applications/mail/locales/fr_FR.json at 002edb4090d2629e982ea0b5736ac3ff6627781e',
    wrote: 'Le ${date}, ${sender} a écrit :', from: 'De : ${sender}', date: 'Date : ${date}', subject: 'Objet : ${subject}', to: 'À : ${to}' },
  es: { locale: 'es', source: 'applications/mail/locales/es_ES.json at 002edb4090d2629e982ea0b5736ac3ff6627781e',
    wrote: 'El ${date}, ${sender} escribió:', from: 'De: ${sender}', date: 'Fecha: el ${date}', subject: 'Asunto: ${subject}', to: 'Para: ${to}' },
};
const TIMES = ['2022-03-08T14:05:00', '2022-03-01T09:15:00', '2022-11-22T00:30:00', '2022-06-03T12:10:00', '2022-01-11T21:03:00'];
const out = { 'date-fns': require('date-fns/package.json').version, langs: {} };
for (const [lang, s] of Object.entries(LANGS)) {
  const dates = {};
  for (const t of TIMES) {
    const [d, hm] = t.split('T');
    const [y, m, day] = d.split('-').map(Number);
    const [hh, mm] = hm.split(':').map(Number);
    dates[t] = format(new Date(y, m - 1, day, hh, mm), 'PPPPp', { locale: locales[s.locale] });
  }
  out.langs[lang] = { ...s, dates };
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

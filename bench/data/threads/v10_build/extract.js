// Writes v10_build/strings.json: SnappyMail's reply and forward strings in seven UI languages and the dates it prints
// in them (issue 14, helper h6, session 10, 2026-12-02).
// - The strings are typed from the-djmaze/snappymail's snappymail/v/0.0.0/app/localization/<lang>/user.json (read
//   with the stored-repository tools; commit per language below): COMPOSE/REPLY_MESSAGE_TITLE, which
//   dev/View/Popup/Compose.js follows with ':' above a <blockquote>, COMPOSE/FORWARD_MESSAGE_TOP_TITLE,
//   COMPOSE/FORWARD_MESSAGE_TOP_SENT and GLOBAL/FROM, TO, CC, SUBJECT (the forward block's labels).
// - The date is timestampToString(date, 'FULL') = Date.format('LLL'), which SnappyMail's dev/prototype.js maps to
//   Intl.DateTimeFormat(lang, {year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: 'numeric'})
//   (RainLoop/rainloop-webmail dev/prototype.js at 0b640835433d96f4193f82663e1605f0e4132bb6, SnappyMail's code);
//   rendered here by node's own Intl (ICU), so no date is typed by hand.
// Run: node bench/data/threads/v10_build/extract.js > bench/data/threads/v10_build/strings.json
const LANGS = {
  de: { commit: '16106a28d5a4902596b490a9e31885eb142608f7', reply: 'Am %DATETIME% schrieb %EMAIL%',
    banner: '-------- Weitergeleitete Nachricht -------', sent: 'Gesendet', from: 'Von', to: 'An', cc: 'CC', subject: 'Betreff' },
  fr: { commit: '16106a28d5a4902596b490a9e31885eb142608f7', reply: '%DATETIME% %EMAIL% a écrit',
    banner: '-------- Message transféré -------', sent: 'Envoyé', from: 'De', to: 'À', cc: 'Cc', subject: 'Sujet' },
  ru: { commit: '0233c8371904f587872b55c02c64ed5bd6676661', reply: '%DATETIME%, %EMAIL% написал',
    banner: '-------- Пересланное сообщение -------', sent: 'Отправлено', from: 'От', to: 'Кому', cc: 'Копия', subject: 'Тема' },
  pl: { commit: '16106a28d5a4902596b490a9e31885eb142608f7', reply: '%DATETIME%, %EMAIL% napisał/-a/',
    banner: '-------- Wiadomość przekazana -------', sent: 'Wysłano', from: 'Od', to: 'Do', cc: 'Kopia', subject: 'Temat' },
  nl: { commit: '055c0d3bf4680e531e71a6e1dc57f156672bf7ec', reply: '%EMAIL% schreef op %DATETIME%',
    banner: '-------- Doorgestuurd bericht -------', sent: 'Verzonden', from: 'Van', to: 'Naar', cc: 'CC', subject: 'Onderwerp' },
  es: { commit: '721a8492548fa7094b5ebeba8b6b808b6ada38df', reply: '%DATETIME%, %EMAIL% escribió' },
  ja: { commit: '721a8492548fa7094b5ebeba8b6b808b6ada38df', reply: '%DATETIME%, %EMAIL% wrote' },
};
const TIMES = ['2022-03-08T14:05:00', '2022-03-09T08:47:00', '2022-03-07T16:20:00', '2022-03-10T09:03:00'];
const LLL = { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: 'numeric', timeZone: 'UTC' };
const out = { node: process.version, icu: process.versions.icu, lll_options: LLL, langs: {} };
for (const [lang, s] of Object.entries(LANGS)) {
  const dates = {};
  for (const t of TIMES) dates[t] = new Intl.DateTimeFormat(lang, LLL).format(new Date(t + 'Z'));
  out.langs[lang] = { ...s, source: `the-djmaze/snappymail ${s.commit} snappymail/v/0.0.0/app/localization/${lang}/user.json`, dates };
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

// Writes v9_build/strings.json: the dates Nextcloud Mail and Mailspring print in their reply and forward text,
// rendered by moment itself (npm `moment` 2.30.1, MIT; installed with `npm install moment@2.30.1` outside the
// repository), so no date in heldout_v9.json is typed by hand.
// - Nextcloud Mail (nextcloud/mail src/ReplyBuilder.js): `moment.unix(date).format('LLL')` in the user's locale
//   (@nextcloud/moment sets moment's locale to the Nextcloud language).
// - Mailspring (Foundry376/Mailspring app/src/flux/models/message.ts): `moment(this.date).format('MMM D YYYY,
//   [at] h:mm a')`; app/src/intl.ts never calls moment.locale, so that date stays English in every UI language.
// Run: NODE_PATH=<dir holding node_modules> node bench/data/threads/v9_build/extract.js > bench/data/threads/v9_build/strings.json
const moment = require('moment');
const fs = require('fs');
const path = require('path');

const TIMES = ['2022-03-08T14:05:00', '2022-03-09T08:47:00', '2022-03-07T16:20:00'];
const LOCALES = ['en', 'en-gb', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'ru', 'uk', 'cs', 'sk', 'hu', 'tr', 'ja', 'zh-cn',
  'zh-tw', 'ko', 'sv', 'da', 'nb', 'fi', 'pt', 'pt-br', 'ca', 'gl', 'eu', 'el', 'bg', 'sr', 'sr-cyrl', 'hr', 'sl', 'ro',
  'lt', 'lv', 'et', 'is', 'he', 'ar', 'fa', 'vi', 'id'];
const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('moment')), 'package.json'), 'utf8'));
const out = { moment_version: pkg.version, nextcloud_lll: {}, mailspring_en: {} };
for (const locale of LOCALES) {
  if (locale !== 'en') require('moment/locale/' + locale);
  const rendered = {};
  for (const t of TIMES) rendered[t] = moment.utc(t).locale(locale).format('LLL');
  out.nextcloud_lll[locale] = { format: moment.localeData(locale).longDateFormat('LLL'), dates: rendered };
}
for (const t of TIMES) out.mailspring_en[t] = moment.utc(t).locale('en').format('MMM D YYYY, [at] h:mm a');
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

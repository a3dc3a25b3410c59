/** Values an attacker (or an unlucky paste) could put in any field a page shows. */
export const HOSTILE_VALUES: Readonly<Record<string, string>> = {
  script: '<script>alert(1)</script>',
  'attribute break': '"><img src=x onerror=alert(1)>',
  'single-quote break': "' onmouseover='alert(1)' x='",
  'entity already escaped': '&amp; &lt;script&gt; &#60;',
  'Slack mention': '<!channel> <@U123|admin>',
  'comment and CDATA': '<!-- --><![CDATA[x]]></style></title></textarea>',
  'control characters': 'a\u0000b\u0007c\u001bd\u007fe\u0085f\tg\nh',
  'Unicode look-alikes': '＜script＞alert(1)＜/script＞ аcme.okta.com \u202Egnp.exe\u202C \u200B‹›',
  '100 kB of markup': `<b x="'&>`.repeat(10_000),
};

import bolt from '@slack/bolt';
const app = new bolt.App({ token: process.env.SLACK_BOT_TOKEN, signingSecret: 'c0ffee0123456789abcdef0123456789', clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.command('/okta-connect', async ({ ack }) => { await ack(); });
await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('listening');

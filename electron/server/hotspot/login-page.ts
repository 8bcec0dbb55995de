/**
 * A MikroTik hotspot login page (login.html) with the ISP's name and logo: staff upload it to the
 * router's hotspot folder (Files → hotspot/login.html), beside the md5.js RouterOS ships there.
 *
 * RouterOS fills `$(name)` variables and `$(if …)`/`$(endif)` blocks in the page it serves, so text
 * from the datastore is escaped twice: for HTML, and `$` as `&#36;` so a name like "Bob's $(x)"
 * prints as typed instead of being read as a variable.
 */

export interface LoginPageInput {
  ispName: string;
  /** A data: URL (the company logo), or null. */
  ispLogo: string | null;
  ssid: string | null;
  phone: string | null;
}

/** HTML text with RouterOS variable syntax neutralised. */
export function escapeForHotspot(text: string): string {
  return text.replace(/[&<>"'$]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', $: '&#36;' })[c]!);
}

const LOGO = /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/;

export function hotspotLoginPage(input: LoginPageInput): string {
  const name = escapeForHotspot(input.ispName);
  const logo = input.ispLogo && LOGO.test(input.ispLogo) ? `<img class="logo" src="${input.ispLogo}" alt="${name}">` : '';
  const ssid = input.ssid ? `<p class="hint">Wi-Fi network: <b>${escapeForHotspot(input.ssid)}</b></p>` : '';
  const phone = input.phone ? `<p class="hint">Help: ${escapeForHotspot(input.phone)}</p>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="pragma" content="no-cache">
<meta http-equiv="expires" content="-1">
<title>${name} Wi-Fi: log in</title>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f1f3f5; color: #212529; }
  main { max-width: 380px; margin: 8vh auto; background: #fff; border-radius: 12px; padding: 28px 24px; box-shadow: 0 2px 12px rgba(0,0,0,.12); }
  .logo { display: block; max-width: 180px; max-height: 80px; margin: 0 auto 12px; }
  h1 { font-size: 20px; text-align: center; margin: 0 0 4px; }
  .hint { font-size: 14px; color: #495057; text-align: center; margin: 4px 0; }
  label { display: block; font-size: 14px; margin: 14px 0 4px; }
  input[type=text], input[type=password] { box-sizing: border-box; width: 100%; font-size: 18px; padding: 10px; border: 1px solid #ced4da; border-radius: 8px; }
  button { width: 100%; margin-top: 18px; font-size: 18px; padding: 12px; border: 0; border-radius: 8px; background: #1c7ed6; color: #fff; }
  .error { background: #fff5f5; color: #c92a2a; border-radius: 8px; padding: 8px 10px; margin-top: 12px; font-size: 14px; }
</style>
</head>
<body>
$(if chap-id)
<form name="sendin" action="$(link-login-only)" method="post">
  <input type="hidden" name="username">
  <input type="hidden" name="password">
  <input type="hidden" name="dst" value="$(link-orig)">
  <input type="hidden" name="popup" value="true">
</form>
<script src="/md5.js"></script>
$(endif)
<script>
  /* A voucher's code is its password too: an empty password sends the code. With CHAP the
     password goes as an MD5 over the router's challenge, never in clear. */
  function doLogin() {
    var f = document.login;
    var password = f.password.value || f.username.value;
    $(if chap-id)
    document.sendin.username.value = f.username.value;
    document.sendin.password.value = hexMD5('$(chap-id)' + password + '$(chap-challenge)');
    document.sendin.submit();
    return false;
    $(else)
    f.password.value = password;
    return true;
    $(endif)
  }
</script>
<main>
  ${logo}
  <h1>${name} Wi-Fi</h1>
  ${ssid}
  <p class="hint">Enter the code from your voucher. Have a username and password? Enter both.</p>
  <form name="login" action="$(link-login-only)" method="post" onsubmit="return doLogin()">
    <input type="hidden" name="dst" value="$(link-orig)">
    <input type="hidden" name="popup" value="true">
    <label for="username">Voucher code or username</label>
    <input id="username" name="username" type="text" value="$(username)" autocapitalize="none" autocomplete="off" autofocus required>
    <label for="password">Password (leave empty for a voucher)</label>
    <input id="password" name="password" type="password" autocomplete="off">
    <button type="submit">Connect</button>
    $(if error)<div class="error">$(error)</div>$(endif)
  </form>
  ${phone}
</main>
</body>
</html>
`;
}

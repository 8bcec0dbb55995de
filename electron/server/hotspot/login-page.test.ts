import { describe, expect, it } from 'vitest';
import { escapeForHotspot, hotspotLoginPage } from './login-page';

const page = (over: Partial<Parameters<typeof hotspotLoginPage>[0]> = {}) => hotspotLoginPage({ ispName: 'Pine Hollow Wireless', ispLogo: null, ssid: null, phone: null, ...over });

describe('the MikroTik hotspot login page', () => {
  it('posts the login form to $(link-login-only), sending the guest on to $(link-orig)', () => {
    const html = page();
    expect(html).toMatch(/<form name="login" action="\$\(link-login-only\)" method="post"/);
    expect(html).toContain('<input type="hidden" name="dst" value="$(link-orig)">');
    expect(html).toContain('value="$(username)"');
    expect(html).toContain('$(if error)<div class="error">$(error)</div>$(endif)');
  });

  it('logs in with CHAP when the router offers it: MD5 over $(chap-id), the password and $(chap-challenge), with the router\'s md5.js', () => {
    const html = page();
    expect(html).toContain('$(if chap-id)');
    expect(html).toContain("hexMD5('$(chap-id)' + password + '$(chap-challenge)')");
    expect(html).toContain('<script src="/md5.js"></script>');
    // Every $(if …) is closed.
    expect(html.match(/\$\(if [a-z-]+\)/g)!.length).toBe(html.match(/\$\(endif\)/g)!.length);
  });

  it('escapes the ISP\'s name and network for HTML and for RouterOS variables', () => {
    const html = page({ ispName: '<b>Bob</b> & "Sons" $(identity)', ssid: 'Guest $(ip)' });
    expect(html).toContain('&lt;b&gt;Bob&lt;/b&gt; &amp; &quot;Sons&quot; &#36;(identity) Wi-Fi');
    expect(html).toContain('Guest &#36;(ip)');
    expect(html).not.toContain('<b>Bob</b>');
    expect(escapeForHotspot("it's $5")).toBe('it&#39;s &#36;5');
  });

  it('shows the logo only when it is an image data URL', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(page({ ispLogo: png })).toContain(`<img class="logo" src="${png}"`);
    expect(page({ ispLogo: 'javascript:alert(1)' })).not.toContain('<img');
  });
});

import { describe, expect, it } from 'vitest';
import { callbackProblem, isPrivateAddress } from './callbackUrl.js';

describe('callback URLs', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '0.0.0.0',
    '100.64.0.1',
  ])('treats %s as private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '52.95.110.1', '2600:1f18::1'])('treats %s as public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses private, loopback and link-local callbacks unless allowed', async () => {
    expect(await callbackProblem('http://169.254.169.254/latest/meta-data', false)).toMatch(
      /private, loopback or link-local/,
    );
    expect(await callbackProblem('http://127.0.0.1:8080/listener', false)).toMatch(/private/);
    expect(await callbackProblem('http://[::1]:8080/listener', false)).toMatch(/private/);
    expect(await callbackProblem('http://localhost:8080/listener', false)).toMatch(/private|does not resolve/);
    expect(await callbackProblem('http://127.0.0.1:8080/listener', true)).toBeUndefined();
    expect(await callbackProblem('https://8.8.8.8/listener', false)).toBeUndefined();
  });

  it('refuses what is not an absolute http(s) URL without credentials', async () => {
    expect(await callbackProblem('/relative', true)).toMatch(/absolute/);
    expect(await callbackProblem('file:///etc/passwd', true)).toMatch(/http or https/);
    expect(await callbackProblem('https://u:p@example.com/', true)).toMatch(/credentials/);
  });
});

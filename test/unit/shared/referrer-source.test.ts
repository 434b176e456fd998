import { SEARCH_ENGINES, referrerSource, registrableDomain } from '../../../functions/shared/traffic/referrer-source';
import { sourceCategory } from '../../../functions/shared/traffic/source-category';

const web = (host: string) => referrerSource(`https://${host}/`, host);

describe('registrableDomain', () => {
  it.each([
    ['google.com', 'google.com'],
    ['mail.google.com', 'google.com'],
    ['www.google.co.uk', 'google.co.uk'],
    ['a.b.yandex.com.tr', 'yandex.com.tr'],
    ['biglobe.ne.jp', 'biglobe.ne.jp'],
    ['news.ycombinator.com', 'ycombinator.com'],
    ['x.blogspot.com', 'blogspot.com'],
    ['co.uk', null],
    ['localhost', null],
    ['192.168.1.10', null],
    ['[2001:db8::1]', null],
  ])('of %s is %s', (host, domain) => {
    expect(registrableDomain(host)).toBe(domain);
  });
});

describe('referrerSource', () => {
  it('names a search engine on its own host, with or without www. or search.', () => {
    for (const host of ['google.com', 'www.google.de', 'www.google.com.au', 'search.yahoo.com', 'yahoo.co.jp', 'www.bing.com']) {
      expect([host, web(host).medium]).toEqual([host, 'organic']);
    }
    expect(web('www.google.com.au')).toEqual({ source: 'google', medium: 'organic', category: 'SOURCE_CATEGORY_SEARCH' });
  });

  it('never takes a brand from a host it is not the domain of', () => {
    expect(web('google.example.com')).toEqual({ source: 'google.example.com', medium: 'referral', category: undefined });
    expect(web('maps.google.com')).toEqual({ source: 'maps.google.com', medium: 'referral', category: undefined });
    expect(web('cnn.com')).toEqual({ source: 'cnn.com', medium: 'referral', category: undefined });
    expect(web('ask.fm')).toEqual({ source: 'ask.fm', medium: 'referral', category: undefined });
  });

  it('finds a social, video or shopping site by its registrable domain, a search site only by its listed host', () => {
    expect(web('mbasic.facebook.com').category).toBe('SOURCE_CATEGORY_SOCIAL');
    expect(web('gaming.youtube.com').category).toBe('SOURCE_CATEGORY_VIDEO');
    expect(web('smile.amazon.com').category).toBe('SOURCE_CATEGORY_SHOPPING');
    expect(web('news.yahoo.co.jp').category).toBeUndefined();
    expect(web('mail.google.com').category).toBe('SOURCE_CATEGORY_SEARCH');
  });

  it('drops www. from the source, keeps other subdomains, and ignores a trailing dot', () => {
    expect(web('www.github.com').source).toBe('github.com');
    expect(web('m.facebook.com').source).toBe('m.facebook.com');
    expect(web('www.facebook.com.').source).toBe('facebook.com');
  });

  it('takes an Android app referrer as its package, the Google app as Google search', () => {
    const app = (pkg: string) => referrerSource(`android-app://${pkg}/`, pkg);
    expect(app('com.google.android.gm')).toEqual({ source: 'com.google.android.gm', medium: 'referral', category: undefined });
    expect(app('com.google.android.googlequicksearchbox')).toEqual({
      source: 'google',
      medium: 'organic',
      category: 'SOURCE_CATEGORY_SEARCH',
    });
    expect(app('com.facebook.katana')).toEqual({ source: 'com.facebook.katana', medium: 'referral', category: undefined });
  });
});

describe('SEARCH_ENGINES', () => {
  it("is a subset of Google's search sources", () => {
    expect([...SEARCH_ENGINES].filter((engine) => sourceCategory(engine) !== 'SOURCE_CATEGORY_SEARCH')).toEqual([]);
  });
});

#include "cobrowse/urlpolicy.h"

#include "protocol/limits.h"

#include <gtest/gtest.h>

using namespace plenum::cobrowse;

TEST(UrlPolicy, HttpAndHttpsPagesAreShared)
{
    EXPECT_FALSE(refuseUrl("https://example.org/a?b=c#d"));
    EXPECT_FALSE(refuseUrl("http://127.0.0.1:8080/page2.html"));
}

TEST(UrlPolicy, LocalFilesAndOtherSchemesAreRefusedInWords)
{
    for (const char* url : {"file:///etc/passwd", "javascript:alert(1)", "data:text/html,hello",
                            "ftp://example.org/", "chrome://settings", "/relative/path"}) {
        const auto why = refuseUrl(url);
        ASSERT_TRUE(why) << url;
        EXPECT_TRUE(why->contains("Only http and https")) << url << ": " << why->toStdString();
    }
}

TEST(UrlPolicy, CredentialsInTheAddressAreRefused)
{
    const auto why = refuseUrl("https://bank.example@evil.example/login");
    ASSERT_TRUE(why);
    EXPECT_TRUE(why->contains("user name or password"));
}

TEST(UrlPolicy, EmptyOverlongAndHostlessAddressesAreRefused)
{
    EXPECT_TRUE(refuseUrl(""));
    EXPECT_TRUE(refuseUrl("https:///nohost"));
    const QString longUrl =
        "https://example.org/" + QString(int(plenum::protocol::limits::kMaxUrlBytes), u'a');
    const auto why = refuseUrl(longUrl);
    ASSERT_TRUE(why);
    EXPECT_TRUE(why->contains("longer than"));
}

TEST(UrlPolicy, ABlockedDomainBlocksItsSubdomainsOnly)
{
    DomainBlocklist blocked;
    ASSERT_TRUE(blocked.add("Example.COM"));
    EXPECT_TRUE(refuseUrl("https://example.com/", blocked));
    EXPECT_TRUE(refuseUrl("https://www.EXAMPLE.com/x", blocked));
    EXPECT_FALSE(refuseUrl("https://notexample.com/", blocked));
    EXPECT_FALSE(refuseUrl("https://example.com.evil.org/", blocked));
    blocked.remove("example.com");
    EXPECT_FALSE(refuseUrl("https://example.com/", blocked));
}

TEST(UrlPolicy, OnlyPlainHostNamesCanBeBlocked)
{
    DomainBlocklist blocked;
    EXPECT_FALSE(blocked.add("https://example.com"));
    EXPECT_FALSE(blocked.add(""));
    EXPECT_FALSE(blocked.add(".com"));
    EXPECT_TRUE(blocked.domains().isEmpty());
}

TEST(UrlPolicy, MalformedAddressesAreRefusedInWords)
{
    const auto why = refuseUrl("https://exa mple.org/<b>");
    ASSERT_TRUE(why);
    EXPECT_TRUE(why->contains("not a valid web address"));
}

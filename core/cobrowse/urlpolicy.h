#pragma once
// Which pages a co-browsing session may show (issue 16 "URL policy"): only http and https,
// nothing that reaches local files or carries credentials, and never a domain this device
// blocked. Every refusal is a sentence the UI can show as it is.

#include <QSet>
#include <QString>

#include <optional>

namespace plenum::cobrowse {

// A set of blocked domains; a domain also blocks its subdomains ("example.com" blocks
// "www.example.com" but not "notexample.com"). Case does not matter.
class DomainBlocklist {
public:
    // False (and nothing added) when `domain` is not a plain host name.
    bool add(const QString& domain);
    void remove(const QString& domain) { domains_.remove(domain.toLower()); }
    bool blocks(const QString& host) const;
    const QSet<QString>& domains() const { return domains_; }

private:
    QSet<QString> domains_;
};

// Why `url` may not be shown, in words; nullopt when it may.
std::optional<QString> refuseUrl(const QString& url, const DomainBlocklist& blocked = {});

} // namespace plenum::cobrowse

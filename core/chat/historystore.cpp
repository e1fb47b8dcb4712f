#include "chat/historystore.h"

#include "chat/visibility.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <QFile>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace plenum::chat {

using protocol::ChatMessage;

namespace {

QString describe(const QSqlError& e)
{
    return e.text().isEmpty() ? QStringLiteral("unknown database error") : e.text();
}

QByteArray packIds(const QList<DeviceId>& ids)
{
    QByteArray out;
    for (const DeviceId& id : ids)
        out += id.toBytes();
    return out;
}

QList<DeviceId> unpackIds(const QByteArray& raw)
{
    QList<DeviceId> out;
    for (qsizetype at = 0; at + qsizetype(DeviceId::size) <= raw.size(); at += DeviceId::size)
        out.append(*DeviceId::fromBytes(raw.mid(at, DeviceId::size)));
    return out;
}

// SQLite integers are signed 64-bit; the codec keeps seq and Lamport values below 2^62.
QVariant u64(std::uint64_t v)
{
    return QVariant::fromValue(qint64(v));
}

const char* kColumns = "sender, seq, lamport, author, body, recipients, received_at, signature";

ChatMessage readMessage(const QSqlQuery& q, std::int64_t* receivedAt = nullptr)
{
    ChatMessage m;
    m.sender = DeviceId::fromBytes(q.value(0).toByteArray()).value_or(DeviceId{});
    m.seq = std::uint64_t(q.value(1).toLongLong());
    m.lamport = std::uint64_t(q.value(2).toLongLong());
    m.author = AccountId::fromBytes(q.value(3).toByteArray()).value_or(AccountId{});
    m.text = q.value(4).toString();
    m.recipients = unpackIds(q.value(5).toByteArray());
    if (receivedAt) *receivedAt = q.value(6).toLongLong();
    m.signature = q.value(7).toByteArray();
    return m;
}

// One place turns a query's rows into messages (every reader below shares it).
Result<QList<StoredMessage>> readAll(QSqlQuery& q)
{
    if (!q.exec())
        return fail(QStringLiteral("Cannot read chat history: %1.").arg(describe(q.lastError())));
    QList<StoredMessage> out;
    while (q.next()) {
        StoredMessage s;
        s.message = readMessage(q, &s.receivedAtMs);
        out.append(s);
    }
    return out;
}

Result<QList<ChatMessage>> readMessages(QSqlQuery& q)
{
    auto rows = readAll(q);
    if (!rows) return Error{rows.error()};
    QList<ChatMessage> out;
    out.reserve(rows->size());
    for (const StoredMessage& s : rows.value())
        out.append(s.message);
    return out;
}

// The history is private: the database file is created 0600 before SQLite opens it (SQLite
// gives its -wal and -shm files the database file's mode), and an existing one is made 0600.
// A failure is an error, not a warning.
Status makePrivate(const QString& path)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail(QStringLiteral("Cannot open the chat history %1: %2.")
                        .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    struct stat st {};
    const bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                    ((st.st_mode & 0777) == 0600 || ::fchmod(fd, 0600) == 0);
    ::close(fd);
    if (!ok)
        return fail(QStringLiteral("Cannot make the chat history %1 private (0600).").arg(path));
    for (const char* suffix : {"-wal", "-shm"}) {
        const QByteArray side = native + suffix;
        if (::lstat(side.constData(), &st) == 0 && (st.st_mode & 0777) != 0600 &&
            ::chmod(side.constData(), 0600) != 0)
            return fail(QStringLiteral("Cannot make the chat history %1%2 private (0600).")
                            .arg(path, QLatin1String(suffix)));
    }
    return Ok{};
}

} // namespace

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const QString& path)
{
    if (path != QLatin1String(":memory:"))
        if (auto s = makePrivate(path); !s) return Error{s.error()};
    static std::atomic<int> counter{0};
    const QString name = QStringLiteral("plenum-history-%1").arg(counter++);
    std::unique_ptr<HistoryStore> store(new HistoryStore(name));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    if (!db.open())
        return fail(QStringLiteral("Cannot open the chat history %1: %2.")
                        .arg(path, describe(db.lastError())));
    QSqlQuery q(db);
    // WAL + FULL: a commit is on disk when it returns, and survives a crash or power cut.
    if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next() ||
        q.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return fail(
            QStringLiteral("The chat history %1 cannot use write-ahead logging.").arg(path));
    // Qt binds an empty QString/QByteArray as NULL, so body and recipients may be NULL.
    const QLatin1String schema(
        "CREATE TABLE IF NOT EXISTS messages (account BLOB NOT NULL, session BLOB NOT NULL,"
        " sender BLOB NOT NULL, seq INTEGER NOT NULL, lamport INTEGER NOT NULL,"
        " author BLOB NOT NULL, body TEXT, recipients BLOB, stub INTEGER NOT NULL,"
        " received_at INTEGER NOT NULL, signature BLOB,"
        " PRIMARY KEY (account, session, sender, seq)) WITHOUT ROWID");
    const QLatin1String index("CREATE INDEX IF NOT EXISTS messages_order"
                              " ON messages (account, session, lamport, sender, seq)");
    for (const QLatin1String sql : {QLatin1String("PRAGMA synchronous=FULL"), schema, index})
        if (!q.exec(sql))
            return fail(QStringLiteral("Cannot prepare the chat history %1: %2.")
                            .arg(path, describe(q.lastError())));
    // Histories written before chat was signed (DESIGN §6) lack the signature column.
    bool hasSignature = false;
    if (!q.exec(QStringLiteral("PRAGMA table_info(messages)")))
        return fail(QStringLiteral("Cannot read the chat history %1: %2.")
                        .arg(path, describe(q.lastError())));
    while (q.next())
        hasSignature = hasSignature || q.value(1).toString() == QLatin1String("signature");
    if (!hasSignature && !q.exec(QStringLiteral("ALTER TABLE messages ADD COLUMN signature BLOB")))
        return fail(QStringLiteral("Cannot upgrade the chat history %1: %2.")
                        .arg(path, describe(q.lastError())));
    return store;
}

HistoryStore::HistoryStore(QString connection) : connection_(std::move(connection)) {}

HistoryStore::~HistoryStore()
{
    insert_.reset(); // a statement must not outlive its connection
    {
        QSqlDatabase db = QSqlDatabase::database(connection_, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(connection_);
}

void HistoryStore::add(const AccountId& account, const SessionId& session,
                       const ChatMessage& message, std::int64_t receivedAtMs)
{
    queue_.append(Row{account, session, message, receivedAtMs});
}

Result<QList<protocol::ChatAck>> HistoryStore::flush()
{
    QList<protocol::ChatAck> written;
    if (queue_.isEmpty()) return written;
    QSqlDatabase db = QSqlDatabase::database(connection_, false);
    if (!db.transaction())
        return fail(
            QStringLiteral("Cannot start writing chat history: %1.").arg(describe(db.lastError())));
    if (!insert_) {
        insert_ = std::make_unique<QSqlQuery>(db);
        if (!insert_->prepare(QStringLiteral(
                "INSERT INTO messages (account, session, sender, seq, lamport, author, body,"
                " recipients, stub, received_at, signature)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                // Only a duplicate id is skipped; any other constraint failure is an error. A
                // full copy replaces a stub (a forged stub cannot hide the real message from a
                // recipient); otherwise the first copy stays (callers store only copies whose
                // signature verified).
                " ON CONFLICT (account, session, sender, seq) DO UPDATE SET"
                " lamport = excluded.lamport, author = excluded.author, body = excluded.body,"
                " recipients = excluded.recipients, stub = 0, signature = excluded.signature"
                " WHERE messages.stub = 1 AND excluded.stub = 0"))) {
            const QString why = describe(insert_->lastError());
            insert_.reset();
            db.rollback();
            return fail(QStringLiteral("Cannot write chat history: %1.").arg(why));
        }
    }
    QSqlQuery& q = *insert_;
    for (const Row& r : queue_) {
        const ChatMessage& m = r.message;
        q.addBindValue(r.account.toBytes());
        q.addBindValue(r.session.toBytes());
        q.addBindValue(m.sender.toBytes());
        q.addBindValue(u64(m.seq));
        q.addBindValue(u64(m.lamport));
        q.addBindValue(m.author.toBytes());
        q.addBindValue(m.text);
        q.addBindValue(packIds(m.recipients));
        q.addBindValue(isStub(m) ? 1 : 0);
        q.addBindValue(qint64(r.receivedAtMs));
        q.addBindValue(m.signature);
        if (!q.exec()) {
            const QString why = describe(q.lastError());
            db.rollback();
            return fail(QStringLiteral("Cannot write chat history: %1.").arg(why));
        }
        written.append({m.sender, m.seq});
    }
    if (!db.commit()) {
        const QString why = describe(db.lastError());
        db.rollback();
        return fail(QStringLiteral("Cannot commit chat history: %1.").arg(why));
    }
    // Only now are these rows on disk (a failed commit keeps the cache as it was).
    for (const Row& r : queue_) {
        auto it = highest_.find(r.account.toBytes() + r.session.toBytes());
        if (it == highest_.end()) continue; // read from disk on first use, these rows included
        std::uint64_t& top = (*it)[r.message.sender];
        top = std::max(top, r.message.seq);
    }
    queue_.clear();
    return written;
}

Result<QList<StoredMessage>> HistoryStore::lastMessages(const AccountId& account,
                                                        const SessionId& session, int count) const
{
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE account = ? AND session = ? AND "
                             "stub = 0 ORDER BY lamport DESC, sender DESC, seq DESC LIMIT ?")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(account.toBytes());
    q.addBindValue(session.toBytes());
    q.addBindValue(std::max(count, 0));
    auto out = readAll(q);
    if (out) std::reverse(out->begin(), out->end());
    return out;
}

Result<QList<StoredMessage>> HistoryStore::messagesBefore(const AccountId& account,
                                                          const SessionId& session,
                                                          std::uint64_t lamport,
                                                          const DeviceId& sender, int count) const
{
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE account = ? AND session = ? AND "
                             "stub = 0 AND (lamport < ? OR (lamport = ? AND sender < ?)) "
                             "ORDER BY lamport DESC, sender DESC, seq DESC LIMIT ?")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(account.toBytes());
    q.addBindValue(session.toBytes());
    q.addBindValue(u64(lamport));
    q.addBindValue(u64(lamport));
    q.addBindValue(sender.toBytes());
    q.addBindValue(std::max(count, 0));
    auto out = readAll(q);
    if (out) std::reverse(out->begin(), out->end());
    return out;
}

Result<QList<ChatMessage>> HistoryStore::messagesAfter(const AccountId& account,
                                                       const SessionId& session,
                                                       const QList<protocol::SenderMark>& after,
                                                       int limit) const
{
    QString where;
    for (qsizetype i = 0; i < after.size(); ++i)
        where += QLatin1String(" OR (sender = ? AND seq > ?)");
    QString notListed = QStringLiteral("1");
    if (!after.isEmpty()) {
        QStringList marks;
        for (qsizetype i = 0; i < after.size(); ++i)
            marks << QStringLiteral("?");
        notListed = QStringLiteral("sender NOT IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE account = ? AND session = ? AND (%2%3)"
                             " ORDER BY lamport, sender, seq LIMIT ?")
                  .arg(QLatin1String(kColumns), notListed, where));
    q.addBindValue(account.toBytes());
    q.addBindValue(session.toBytes());
    for (const auto& m : after)
        q.addBindValue(m.sender.toBytes());
    for (const auto& m : after) {
        q.addBindValue(m.sender.toBytes());
        q.addBindValue(u64(m.seq));
    }
    q.addBindValue(std::max(limit, 0));
    return readMessages(q);
}

Result<QList<ChatMessage>> HistoryStore::range(const AccountId& account, const SessionId& session,
                                               const DeviceId& sender, std::uint64_t fromSeq,
                                               std::uint64_t toSeq) const
{
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE account = ? AND session = ? AND "
                             "sender = ? AND seq BETWEEN ? AND ? ORDER BY seq")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(account.toBytes());
    q.addBindValue(session.toBytes());
    q.addBindValue(sender.toBytes());
    q.addBindValue(u64(fromSeq));
    q.addBindValue(u64(toSeq));
    return readMessages(q);
}

const QHash<DeviceId, std::uint64_t>* HistoryStore::highestSeqs(const AccountId& account,
                                                                const SessionId& session) const
{
    const QByteArray key = account.toBytes() + session.toBytes();
    if (auto it = highest_.constFind(key); it != highest_.constEnd()) return &*it;
    auto marks = maxima(account, session);
    if (!marks) return nullptr;
    QHash<DeviceId, std::uint64_t>& seqs = highest_[key];
    for (const protocol::SenderMark& m : marks.value())
        seqs.insert(m.sender, m.seq);
    return &seqs;
}

Result<bool> HistoryStore::contains(const AccountId& account, const SessionId& session,
                                    const DeviceId& sender, std::uint64_t seq) const
{
    if (const auto* seqs = highestSeqs(account, session); seqs && seq > seqs->value(sender, 0))
        return false;
    auto held = range(account, session, sender, seq, seq);
    if (!held) return Error{held.error()};
    return !held->isEmpty();
}

Result<bool> HistoryStore::hasMessages(const AccountId& account) const
{
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare(QStringLiteral("SELECT EXISTS (SELECT 1 FROM messages WHERE account = ?)"));
    q.addBindValue(account.toBytes());
    if (!q.exec() || !q.next())
        return fail(QStringLiteral("Cannot read chat history: %1.").arg(describe(q.lastError())));
    return q.value(0).toBool();
}

Result<QList<protocol::SenderMark>> HistoryStore::maxima(const AccountId& account,
                                                         const SessionId& session) const
{
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare(QStringLiteral("SELECT sender, MAX(seq) FROM messages WHERE account = ? AND "
                             "session = ? GROUP BY sender ORDER BY sender"));
    q.addBindValue(account.toBytes());
    q.addBindValue(session.toBytes());
    if (!q.exec())
        return fail(QStringLiteral("Cannot read chat history: %1.").arg(describe(q.lastError())));
    QList<protocol::SenderMark> out;
    while (q.next())
        out.append({DeviceId::fromBytes(q.value(0).toByteArray()).value_or(DeviceId{}),
                    std::uint64_t(q.value(1).toLongLong())});
    return out;
}

Result<HistoryStore::OwnMaxima> HistoryStore::ownMaxima(const AccountId& account,
                                                        const SessionId& session,
                                                        const DeviceId& self) const
{
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare(QStringLiteral(
        "SELECT (SELECT MAX(seq) FROM messages WHERE account = ? AND session = ? AND sender = ?),"
        " (SELECT MAX(lamport) FROM messages WHERE account = ? AND session = ?)"));
    q.addBindValue(account.toBytes());
    q.addBindValue(session.toBytes());
    q.addBindValue(self.toBytes());
    q.addBindValue(account.toBytes());
    q.addBindValue(session.toBytes());
    if (!q.exec() || !q.next())
        return fail(QStringLiteral("Cannot read chat history: %1.").arg(describe(q.lastError())));
    return OwnMaxima{std::uint64_t(q.value(0).toLongLong()),
                     std::uint64_t(q.value(1).toLongLong())};
}

} // namespace plenum::chat

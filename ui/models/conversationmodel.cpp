#include "models/conversationmodel.h"

#include "chat/conversationlog.h"
#include "node/node.h"

#include <algorithm>

namespace plenum::ui {

namespace {

// The display order every replica shows: (lamport, sender, seq).
bool before(const protocol::ChatMessage& a, const protocol::ChatMessage& b)
{
    return chat::ConversationLog::before(a, b);
}

} // namespace

ConversationModel::ConversationModel(QObject* parent) : QAbstractListModel(parent)
{
    typingExpiry_.setSingleShot(true);
    connect(&typingExpiry_, &QTimer::timeout, this, &ConversationModel::expireTyping);
}

void ConversationModel::setSession(node::Node* node, const SessionId& sid)
{
    for (const auto& c : connections_)
        disconnect(c);
    connections_.clear();
    node_ = node;
    sid_ = sid;
    beginResetModel();
    rows_.clear();
    if (node_)
        if (auto h = node_->history(sid, kPage))
            for (const auto& s : h.value())
                rows_.append(rowFor(s.message, s.receivedAtMs));
    std::sort(rows_.begin(), rows_.end(),
              [](const Row& a, const Row& b) { return before(a.message, b.message); });
    endResetModel();
    Q_EMIT countChanged();
    setCanLoadOlder(rows_.size() >= kPage);
    if (!typing_.isEmpty()) {
        typing_.clear();
        Q_EMIT typingTextChanged();
    }
    if (!node_) return;
    connections_.append(connect(node_, &node::Node::chatReceived, this,
                                [this](const SessionId& s, const protocol::ChatMessage& m) {
                                    if (s != sid_) return;
                                    if (typing_.remove(m.author) > 0) Q_EMIT typingTextChanged();
                                    if (indexOf(m.sender, m.seq) < 0)
                                        insertSorted(
                                            rowFor(m, QDateTime::currentMSecsSinceEpoch()));
                                }));
    connections_.append(connect(node_, &node::Node::receiptChanged, this,
                                [this](const SessionId& s, quint64 seq, const chat::Receipt& r) {
                                    if (s == sid_) onReceipt(seq, r);
                                }));
    connections_.append(
        connect(node_, &node::Node::typingState, this,
                [this](const SessionId& s, const AccountId& from, const QString& t, bool plain) {
                    if (s == sid_) onTyping(from, t, plain);
                }));
}

void ConversationModel::addOwn(std::uint64_t seq)
{
    if (!node_ || indexOf(node_->device(), seq) >= 0) return;
    // The newest own message is among the last few in display order (it carries the highest
    // Lamport value this device knows); look a little further in case others arrived meanwhile.
    auto h = node_->history(sid_, 64);
    if (!h) return;
    for (const auto& s : h.value())
        if (s.message.sender == node_->device() && s.message.seq == seq) {
            insertSorted(rowFor(s.message, s.receivedAtMs));
            return;
        }
}

int ConversationModel::loadOlder()
{
    if (!node_ || rows_.isEmpty() || !canLoadOlder_) return 0;
    const auto& first = rows_.first().message;
    auto older = node_->historyBefore(sid_, first.lamport, first.sender, kPage);
    if (!older) {
        setCanLoadOlder(false);
        return 0;
    }
    QList<Row> add;
    for (const auto& s : older.value())
        if (indexOf(s.message.sender, s.message.seq) < 0 && before(s.message, first))
            add.append(rowFor(s.message, s.receivedAtMs));
    std::sort(add.begin(), add.end(),
              [](const Row& a, const Row& b) { return before(a.message, b.message); });
    if (!add.isEmpty()) {
        beginInsertRows({}, 0, int(add.size()) - 1);
        rows_ = add + rows_;
        endInsertRows();
        Q_EMIT countChanged();
    }
    setCanLoadOlder(older->size() >= kPage);
    return int(add.size());
}

std::optional<std::uint64_t> ConversationModel::ownSeqOf(const QString& messageId) const
{
    const auto parts = messageId.split(QLatin1Char(':'));
    if (!node_ || parts.size() != 2) return std::nullopt;
    const auto device = DeviceId::fromHex(parts.at(0));
    bool ok = false;
    const std::uint64_t seq = parts.at(1).toULongLong(&ok);
    if (!device || !ok || *device != node_->device()) return std::nullopt;
    return seq;
}

ConversationModel::Row ConversationModel::rowFor(const protocol::ChatMessage& m, qint64 atMs) const
{
    Row r;
    r.message = m;
    r.mine = m.author == node_->account();
    r.authorName = r.mine ? node_->name() : node_->nameOf(m.author);
    r.time = QDateTime::fromMSecsSinceEpoch(atMs);
    if (m.sender == node_->device()) {
        r.delivery = QStringLiteral("sent");
        r.recipientsAtSend = 0;
        if (auto receipt = node_->receipt(sid_, m.seq)) applyReceipt(r, *receipt);
    }
    return r;
}

void ConversationModel::insertSorted(const Row& row)
{
    const auto it =
        std::upper_bound(rows_.begin(), rows_.end(), row,
                         [](const Row& a, const Row& b) { return before(a.message, b.message); });
    const int at = int(it - rows_.begin());
    beginInsertRows({}, at, at);
    rows_.insert(at, row);
    endInsertRows();
    Q_EMIT countChanged();
}

void ConversationModel::applyReceipt(Row& row, const chat::Receipt& receipt) const
{
    QStringList names;
    switch (receipt.state) {
    case chat::Delivery::Delivered:
        row.delivery = QStringLiteral("delivered");
        break;
    case chat::Delivery::NotDelivered:
        row.delivery = QStringLiteral("failed");
        for (const DeviceId& d : receipt.notDelivered + receipt.pending)
            names.append(deviceName(d));
        break;
    case chat::Delivery::Pending:
        // "sent" until the first recipient acknowledges, then "pending" for the rest.
        row.recipientsAtSend = std::max(row.recipientsAtSend, int(receipt.pending.size()));
        row.delivery = receipt.pending.size() < row.recipientsAtSend ? QStringLiteral("pending")
                                                                     : QStringLiteral("sent");
        for (const DeviceId& d : receipt.pending)
            names.append(deviceName(d));
        break;
    }
    row.pendingNames = names.join(QStringLiteral(", "));
}

void ConversationModel::onReceipt(std::uint64_t seq, const chat::Receipt& receipt)
{
    const int i = indexOf(node_->device(), seq);
    if (i < 0) return;
    Row& r = rows_[i];
    const QString delivery = r.delivery, names = r.pendingNames;
    applyReceipt(r, receipt);
    if (r.delivery != delivery || r.pendingNames != names)
        Q_EMIT dataChanged(index(i), index(i), {DeliveryRole, PendingNamesRole});
}

void ConversationModel::onTyping(const AccountId& from, const QString& text, bool plain)
{
    if (node_ && from == node_->account()) return;
    if (text.isEmpty() && !plain)
        typing_.remove(from); // stopped, or sent
    else
        typing_[from] = {text, plain, QDateTime::currentMSecsSinceEpoch()};
    if (!typing_.isEmpty()) typingExpiry_.start(kTypingIdleMs);
    Q_EMIT typingTextChanged();
}

void ConversationModel::expireTyping()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto n = typing_.removeIf([&](auto it) { return now - it.value().at >= kTypingIdleMs; });
    if (!typing_.isEmpty()) typingExpiry_.start(kTypingIdleMs);
    if (n > 0) Q_EMIT typingTextChanged();
}

QString ConversationModel::typingText() const
{
    QStringList lines;
    for (auto it = typing_.begin(); it != typing_.end(); ++it) {
        const QString name = node_ ? node_->nameOf(it.key()) : it.key().shortHex();
        const QString& t = it.value().text;
        // Plain "typing…": the sender's privacy setting keeps the draft to itself.
        if (it.value().plain || t.isEmpty())
            lines.append(tr("%1 is typing…").arg(name));
        else
            lines.append(QStringLiteral("%1: %2").arg(name, t));
    }
    lines.sort();
    return lines.join(QStringLiteral("  ·  "));
}

QString ConversationModel::deviceName(const DeviceId& device) const
{
    if (node_)
        if (auto roster = node_->roster(sid_))
            for (const auto& m : roster->members)
                if (m.device == device) return m.name;
    return device.shortHex();
}

QString ConversationModel::recipientsText(const Row& row) const
{
    if (row.message.recipients.isEmpty()) return {};
    QStringList names;
    for (const DeviceId& d : row.message.recipients)
        names.append(node_ && d == node_->device() ? tr("you") : deviceName(d));
    return tr("to %1").arg(names.join(QStringLiteral(", ")));
}

int ConversationModel::indexOf(const DeviceId& sender, std::uint64_t seq) const
{
    for (int i = int(rows_.size()) - 1; i >= 0; --i)
        if (rows_.at(i).message.sender == sender && rows_.at(i).message.seq == seq) return i;
    return -1;
}

void ConversationModel::setCanLoadOlder(bool can)
{
    if (can == canLoadOlder_) return;
    canLoadOlder_ = can;
    Q_EMIT canLoadOlderChanged();
}

int ConversationModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant ConversationModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = rows_.at(index.row());
    switch (role) {
    case MessageIdRole:
        return r.message.sender.toHex() + QLatin1Char(':') + QString::number(r.message.seq);
    case AuthorRole:
        return r.authorName;
    case AuthorAccountRole:
        return r.message.author.toHex();
    case Qt::DisplayRole:
    case TextRole:
        return r.message.text;
    case TimeRole:
        return r.time;
    case IsMineRole:
        return r.mine;
    case IsPrivateRole:
        return !r.message.recipients.isEmpty();
    case RecipientsTextRole:
        return recipientsText(r);
    case DeliveryRole:
        return r.delivery;
    case PendingNamesRole:
        return r.pendingNames;
    case LamportRole:
        return QVariant::fromValue<qulonglong>(r.message.lamport);
    }
    return {};
}

QHash<int, QByteArray> ConversationModel::roleNames() const
{
    return {{MessageIdRole, "messageId"},
            {AuthorRole, "author"},
            {AuthorAccountRole, "authorAccount"},
            {TextRole, "text"},
            {TimeRole, "time"},
            {IsMineRole, "isMine"},
            {IsPrivateRole, "isPrivate"},
            {RecipientsTextRole, "recipientsText"},
            {DeliveryRole, "delivery"},
            {PendingNamesRole, "pendingNames"},
            {LamportRole, "lamport"}};
}

} // namespace plenum::ui

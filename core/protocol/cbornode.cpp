#include "protocol/cbornode.h"

#include "protocol/limits.h"

#include <QCborStreamReader>

#include <algorithm>

namespace plenum::protocol {

using namespace limits;

// Walks a QCborStreamReader into CborNodes. Every declared length is checked against the
// limits (and against the bytes that are actually left) before anything is read.
class CborParser {
public:
    explicit CborParser(const QByteArray& data) : data_(data), reader_(data) {}

    Result<CborNode> run()
    {
        if (static_cast<std::size_t>(data_.size()) > kMaxMessageBytes)
            return fail(QStringLiteral("The message has %1 bytes, the limit is %2.")
                            .arg(data_.size())
                            .arg(kMaxMessageBytes));
        if (data_.isEmpty()) return fail(QStringLiteral("The message is empty."));
        CborNode root;
        if (!readItem(root, 1)) return fail(error_);
        if (reader_.currentOffset() != data_.size())
            return fail(QStringLiteral("The message has %1 trailing bytes after its CBOR item.")
                            .arg(data_.size() - reader_.currentOffset()));
        return root;
    }

private:
    bool setError(QString text)
    {
        if (error_.isEmpty()) error_ = std::move(text);
        return false;
    }
    bool readerFailed()
    {
        return setError(QStringLiteral("The message is not valid CBOR at byte %1 (%2).")
                            .arg(reader_.currentOffset())
                            .arg(reader_.lastError().toString()));
    }
    qint64 bytesLeft() const { return data_.size() - reader_.currentOffset(); }

    bool readItem(CborNode& node, int depth)
    {
        if (++totalItems_ > kMaxTotalItems)
            return setError(
                QStringLiteral("The message has more than %1 CBOR items.").arg(kMaxTotalItems));
        if (reader_.lastError() != QCborError::NoError) return readerFailed();
        switch (reader_.type()) {
        case QCborStreamReader::UnsignedInteger:
            node.kind_ = CborNode::Kind::Unsigned;
            node.number_ = reader_.toUnsignedInteger();
            return reader_.next() || readerFailed();
        case QCborStreamReader::NegativeInteger:
            node.kind_ = CborNode::Kind::Negative;
            node.number_ = quint64(reader_.toNegativeInteger());
            return reader_.next() || readerFailed();
        case QCborStreamReader::ByteArray:
            node.kind_ = CborNode::Kind::Bytes;
            return readString(node);
        case QCborStreamReader::String:
            node.kind_ = CborNode::Kind::Text;
            return readString(node) && checkUtf8(node);
        case QCborStreamReader::Array:
        case QCborStreamReader::Map:
            return readContainer(node, depth);
        case QCborStreamReader::SimpleType:
            if (reader_.isBool()) {
                node.kind_ = CborNode::Kind::Bool;
                node.number_ = reader_.toBool() ? 1 : 0;
                return reader_.next() || readerFailed();
            }
            if (reader_.isNull()) {
                node.kind_ = CborNode::Kind::Null;
                return reader_.next() || readerFailed();
            }
            return setError(QStringLiteral("The message uses a CBOR simple value (%1) that the "
                                           "protocol does not allow.")
                                .arg(int(reader_.toSimpleType())));
        case QCborStreamReader::Tag:
            return setError(QStringLiteral("The message uses a CBOR tag; the protocol has none."));
        case QCborStreamReader::Float16:
        case QCborStreamReader::Float:
        case QCborStreamReader::Double:
            return setError(
                QStringLiteral("The message has a floating-point number; the protocol has none."));
        case QCborStreamReader::Invalid:
            break;
        }
        return readerFailed();
    }

    bool readString(CborNode& node)
    {
        // Chunked (indefinite-length) strings are not used by our encoder: refusing them
        // means the declared length below is the whole story.
        if (!reader_.isLengthKnown())
            return setError(QStringLiteral("The message has an indefinite-length string; only "
                                           "definite lengths are allowed."));
        const quint64 declared = reader_.length();
        if (declared > quint64(bytesLeft()))
            return setError(QStringLiteral("A string declares %1 bytes but only %2 are left.")
                                .arg(declared)
                                .arg(bytesLeft()));
        node.bytes_.resize(qsizetype(declared));
        qsizetype got = 0;
        for (;;) {
            auto r = reader_.readStringChunk(node.bytes_.data() + got, node.bytes_.size() - got);
            if (r.status == QCborStreamReader::Error) return readerFailed();
            if (r.status == QCborStreamReader::EndOfString) break;
            got += r.data;
        }
        if (got != node.bytes_.size())
            return setError(QStringLiteral("A string declares %1 bytes but has %2.")
                                .arg(node.bytes_.size())
                                .arg(got));
        return true;
    }

    bool checkUtf8(const CborNode& node)
    {
        if (!isValidUtf8(node.bytes_))
            return setError(QStringLiteral("A text string is not valid UTF-8."));
        return true;
    }

    // RFC 3629: shortest forms only, no surrogates, nothing above U+10FFFF.
    static bool isValidUtf8(const QByteArray& bytes)
    {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.constData());
        const auto* end = p + bytes.size();
        while (p < end) {
            const unsigned char c = *p;
            if (c < 0x80) {
                ++p;
                continue;
            }
            int extra = 0;
            char32_t min = 0, cp = 0;
            if ((c & 0xe0) == 0xc0)
                extra = 1, min = 0x80, cp = c & 0x1f;
            else if ((c & 0xf0) == 0xe0)
                extra = 2, min = 0x800, cp = c & 0x0f;
            else if ((c & 0xf8) == 0xf0)
                extra = 3, min = 0x10000, cp = c & 0x07;
            else
                return false;
            if (end - p <= extra) return false;
            for (int i = 1; i <= extra; ++i) {
                if ((p[i] & 0xc0) != 0x80) return false;
                cp = (cp << 6) | (p[i] & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
            p += extra + 1;
        }
        return true;
    }

    bool readContainer(CborNode& node, int depth)
    {
        const bool isMap = reader_.isMap();
        node.kind_ = isMap ? CborNode::Kind::Map : CborNode::Kind::Array;
        if (depth > kMaxDepth)
            return setError(
                QStringLiteral("The message nests deeper than %1 levels.").arg(kMaxDepth));
        if (!reader_.isLengthKnown())
            return setError(QStringLiteral("The message has an indefinite-length %1; only "
                                           "definite lengths are allowed.")
                                .arg(isMap ? QStringLiteral("map") : QStringLiteral("array")));
        const quint64 count = reader_.length();
        // Every item takes at least one byte (two per map entry): a cheap bound on lies.
        if (count > kMaxContainerItems || count * (isMap ? 2 : 1) > quint64(bytesLeft()))
            return setError(QStringLiteral("A CBOR %1 declares %2 entries; the limit is %3.")
                                .arg(isMap ? QStringLiteral("map") : QStringLiteral("array"))
                                .arg(count)
                                .arg(std::min<quint64>(kMaxContainerItems, bytesLeft())));
        if (!reader_.enterContainer()) return readerFailed();
        if (isMap)
            node.entries_.reserve(count);
        else
            node.items_.reserve(count);
        for (quint64 i = 0; i < count; ++i) {
            if (!reader_.hasNext()) return readerFailed();
            if (isMap) {
                if (!readMapEntry(node, depth)) return false;
            } else {
                node.items_.emplace_back();
                if (!readItem(node.items_.back(), depth + 1)) return false;
            }
        }
        if (reader_.hasNext()) return readerFailed();
        return reader_.leaveContainer() || readerFailed();
    }

    bool readMapEntry(CborNode& node, int depth)
    {
        if (reader_.lastError() != QCborError::NoError) return readerFailed();
        if (!reader_.isUnsignedInteger())
            return setError(QStringLiteral("A map key is not an unsigned integer; every key in "
                                           "the protocol is."));
        const quint64 key = reader_.toUnsignedInteger();
        for (const auto& e : node.entries_)
            if (e.first == key)
                return setError(QStringLiteral("The key %1 appears twice in one map.").arg(key));
        if (!reader_.next()) return readerFailed();
        ++totalItems_;
        node.entries_.emplace_back(key, CborNode{});
        return readItem(node.entries_.back().second, depth + 1);
    }

    const QByteArray& data_;
    QCborStreamReader reader_;
    std::size_t totalItems_ = 0;
    QString error_;
};

Result<CborNode> CborNode::parse(const QByteArray& data)
{
    return CborParser(data).run();
}

const char* CborNode::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Unsigned:
        return "an unsigned integer";
    case Kind::Negative:
        return "a negative integer";
    case Kind::Bytes:
        return "a byte string";
    case Kind::Text:
        return "a text string";
    case Kind::Bool:
        return "a boolean";
    case Kind::Null:
        return "null";
    case Kind::Array:
        return "an array";
    case Kind::Map:
        return "a map";
    }
    return "an unknown item";
}

} // namespace plenum::protocol

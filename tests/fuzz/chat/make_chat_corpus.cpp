// Writes the seed corpus for fuzz_chat: runs of frames (chatframes.h) built from real chat
// messages. With --check it compares instead of writing.
//
//   chat_make_corpus [--check] <dir>

#include "chatframes.h"
#include "corpuswriter.h"

#include "chat/visibility.h"
#include "protocol/codec.h"

#include <map>

using namespace plenum;
using namespace plenum::protocol;
using plenum::testing::ChatFrame;

namespace {

QByteArray frameOf(const Body& body)
{
    Message m;
    m.header.sid = SessionId::fromNumber(5);
    m.body = body;
    return encode(m);
}

ChatMessage chat(std::uint64_t sender, std::uint64_t seq, std::uint64_t lamport,
                 QList<DeviceId> recipients = {})
{
    return ChatMessage{DeviceId::fromNumber(sender),
                       seq,
                       lamport,
                       AccountId::fromNumber(sender),
                       QStringLiteral("message %1 from %2").arg(seq).arg(sender),
                       recipients};
}

std::map<QString, QByteArray> corpus()
{
    std::map<QString, QByteArray> files;
    QList<ChatFrame> inOrder, late;
    for (std::uint64_t s = 1; s <= 6; ++s)
        inOrder.append({0, frameOf(chat(2, s, s * 2))});
    files[QStringLiteral("in-order.bin")] = plenum::testing::joinFrames(inOrder);
    late = {{1, frameOf(chat(3, 2, 9))},
            {1, frameOf(chat(3, 1, 4))},
            {2, frameOf(chat(4, 1, 4))},
            {2, frameOf(chat(4, 1, 4))}};
    files[QStringLiteral("late-and-duplicate.bin")] = plenum::testing::joinFrames(late);
    const ChatMessage side = chat(2, 1, 3, {DeviceId::fromNumber(1)});
    files[QStringLiteral("side-chat-and-stub.bin")] = plenum::testing::joinFrames(
        {{0, frameOf(side)}, {1, frameOf(chat::stubOf(chat(3, 1, 5, {DeviceId::fromNumber(4)})))}});
    files[QStringLiteral("acks-and-relink.bin")] =
        plenum::testing::joinFrames({{0, frameOf(ChatAck{DeviceId::fromNumber(1), 1})},
                                     {1, frameOf(ChatAck{DeviceId::fromNumber(1), 2})},
                                     {2, frameOf(Bye{})},
                                     {2, frameOf(Ping{})},
                                     {2, frameOf(ChatAck{DeviceId::fromNumber(1), 3})}});
    files[QStringLiteral("high-water-gaps.bin")] = plenum::testing::joinFrames(
        {{0, frameOf(chat(2, 1, 1))},
         {0, frameOf(chat(2, 4, 7))},
         {1, frameOf(HighWater{{{DeviceId::fromNumber(2), 9}, {DeviceId::fromNumber(5), 3}}, {}})},
         {2, frameOf(HighWater{{{DeviceId::fromNumber(2), 12}}, {{DeviceId::fromNumber(2), 1}}})},
         {2, frameOf(ChatPull{DeviceId::fromNumber(1), 1, 3})},
         {3, frameOf(Typing{QStringLiteral("hel"), false})}});
    return files;
}

} // namespace

int main(int argc, char** argv)
{
    return plenum::testing::writeCorpusMain(argc, argv, corpus());
}

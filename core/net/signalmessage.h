#pragma once
// The ICE signaling vocabulary (trickle): offer/answer carry credentials, candidates trickle
// one per message. `attempt` names one link attempt so late messages of an old attempt are
// ignored. The encoding is bounded: signaling bytes come from the network (DHT or a relay).

#include "protocol/result.h"

#include <QByteArray>

namespace plenum::net {

struct SignalMessage {
    // Cancel: the sender gave up this attempt before it came up (an attempt closed while
    // connecting used to tell the peer nothing: its end waited out the connect timeout and
    // its own dial returned that dead link, issue 15).
    enum class Type : quint8 {
        Offer = 1,
        Answer = 2,
        Candidate = 3,
        CandidatesDone = 4,
        Cancel = 5
    };
    static constexpr qsizetype kMaxCredential = 256;
    static constexpr qsizetype kMaxCandidate = 512;
    static constexpr qsizetype kMaxEncoded = 1024;

    Type type = Type::Offer;
    quint64 attempt = 0;
    QByteArray ufrag;     // Offer, Answer
    QByteArray password;  // Offer, Answer
    QByteArray candidate; // Candidate: one SDP "a=candidate:" line

    QByteArray encode() const;
    static Result<SignalMessage> decode(const QByteArray& bytes);
};

} // namespace plenum::net

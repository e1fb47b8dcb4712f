#pragma once
// Echo cancellation, noise suppression and gain control for the capture path, on speexdsp
// 1.2.1 (MDF adaptive filter + the preprocessor's residual-echo suppression, denoiser and AGC).
//
// Why speexdsp and not libwebrtc-audio-processing 0.3: on the same simulated echo path
// (40 ms, -6 dB plus four reflections, espeak-ng speech, 48 kHz; docs/media.md) speexdsp
// reached 47–52 dB ERLE and kept the near-end talker during double talk (correlation 0.94 with
// the clean near-end speech), while WebRTC's AEC reached 42–47 dB but its non-linear processor
// suppressed the near end (correlation 0.48 at high, 0.64 at moderate suppression). WebRTC
// used less CPU (2.0–2.8 % vs 2.6–4.1 % of a core) and has a delay-agnostic mode; speexdsp's
// 200 ms filter covers the delays a laptop produces.
//
// Call playback() with every frame sent to the speaker and capture() with every frame from the
// microphone. Played blocks wait in a queue and each captured block is cancelled against the
// oldest: a device plays a frame after it captured the one before, so the echo of a played
// block can only be in later captures; the filter covers the rest of the path. (speexdsp's own
// playback/capture buffering assumes strictly alternating calls of equal size and "auto-fills"
// otherwise.)

#include <QtGlobal>

#include <deque>
#include <span>
#include <vector>

struct SpeexEchoState_;
struct SpeexPreprocessState_;

namespace plenum::media {

class EchoCanceller {
public:
    struct Config {
        int filterMs = 200; // echo tail covered: device buffering + room
        bool noiseSuppression = true;
        bool gainControl = true;
    };

    EchoCanceller(int frameSamples, const Config& config);
    explicit EchoCanceller(int frameSamples);
    ~EchoCanceller();
    EchoCanceller(const EchoCanceller&) = delete;
    EchoCanceller& operator=(const EchoCanceller&) = delete;

    void playback(std::span<const qint16> far);
    // Replaces `near` with the cleaned frame.
    void capture(std::span<qint16> near);

    int frameSamples() const { return frameSamples_; }

private:
    int frameSamples_;
    int block_; // what speexdsp processes at a time
    SpeexEchoState_* echo_ = nullptr;
    SpeexPreprocessState_* pre_ = nullptr;
    std::vector<qint16> out_;
    std::deque<std::vector<qint16>> far_;
};

} // namespace plenum::media

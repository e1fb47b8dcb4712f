#include "media/echocanceller.h"

#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

#include <algorithm>

namespace plenum::media {

namespace {
constexpr int kSampleRate = 48000;
}

EchoCanceller::EchoCanceller(int frameSamples) : EchoCanceller(frameSamples, Config{}) {}

EchoCanceller::EchoCanceller(int frameSamples, const Config& config)
    : frameSamples_(frameSamples), out_(size_t(frameSamples))
{
    echo_ = speex_echo_state_init(frameSamples, config.filterMs * kSampleRate / 1000);
    int rate = kSampleRate;
    speex_echo_ctl(echo_, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
    pre_ = speex_preprocess_state_init(frameSamples, kSampleRate);
    // The preprocessor also removes the residual echo the linear filter leaves.
    speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_ECHO_STATE, echo_);
    int denoise = config.noiseSuppression ? 1 : 0;
    speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_DENOISE, &denoise);
    int agc = config.gainControl ? 1 : 0;
    speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_AGC, &agc);
    if (agc) {
        // Speech around -20 dBFS; at most +20 dB so a quiet room is not pumped up to noise.
        float level = 8000;
        speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_AGC_LEVEL, &level);
        int maxGain = 20;
        speex_preprocess_ctl(pre_, SPEEX_PREPROCESS_SET_AGC_MAX_GAIN, &maxGain);
    }
}

EchoCanceller::~EchoCanceller()
{
    speex_preprocess_state_destroy(pre_);
    speex_echo_state_destroy(echo_);
}

void EchoCanceller::playback(std::span<const qint16> far)
{
    if (int(far.size()) != frameSamples_) return;
    speex_echo_playback(echo_, far.data());
}

void EchoCanceller::capture(std::span<qint16> near)
{
    if (int(near.size()) != frameSamples_) return;
    speex_echo_capture(echo_, near.data(), out_.data());
    speex_preprocess_run(pre_, out_.data());
    std::copy(out_.begin(), out_.end(), near.begin());
}

} // namespace plenum::media

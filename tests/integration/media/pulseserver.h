#pragma once
// A private PulseAudio for one test (FACTS.md recipe): its own socket and runtime directory in
// a temporary directory, a null sink "spk" and a null source "mic", started as a child process
// and killed when this object goes. PULSE_SERVER points this process at it.

#include <QProcess>
#include <QTemporaryDir>

namespace plenum::media::test {

class PulseServer {
public:
    PulseServer();
    ~PulseServer();
    // False (with `error()`) when pulseaudio is missing or its socket accepts no connection.
    bool start(int timeoutMs = 10000);
    QString error() const { return error_; }

private:
    QTemporaryDir dir_;
    QProcess process_;
    QString error_;
};

} // namespace plenum::media::test

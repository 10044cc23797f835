// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace Feedscope::Fuzz {

// The engine's REST API without a socket: the real ApiServer and route handlers over a real
// entity and activation store (SQLite in a temporary directory), fed requests directly, so a
// fuzz input reaches the very validation a PUT or a list query goes through. The store is
// seeded once (actions, a package and a binding of it, a trigger, a rule, activations) and
// reset() puts it back after each input: runs stay independent of each other and of their
// order, as libFuzzer needs to reproduce a crash from one input.
class ApiHarness
{
public:
    static ApiHarness &instance();

    // Sends one request as the guest key; the reply goes nowhere.
    void request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {});
    // Removes what the last requests created and restores what they changed.
    void reset();

    ~ApiHarness();

private:
    ApiHarness();
    struct Parts;
    std::unique_ptr<Parts> m_parts;
};

inline QByteArray bytesOf(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace Feedscope::Fuzz

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>
#include <utility>

namespace Feedscope {

// Why a call to an OpenWhisk API failed, in values a GUI can show (STYLE.md 12, 16).
struct WhiskError
{
    enum class Kind { Http, Network, Timeout, Cancelled, Protocol };

    Kind kind = Kind::Http;
    int httpStatus = 0;   // 0 when no HTTP reply arrived
    QString whiskError;   // the `error` text of an {error, code} body
    QString requestId;    // the `code` / X-Request-ID of that reply
    QString message;      // a readable sentence: "Creating rule 'r1' failed: 409 Conflict — ..."
    QJsonValue body;      // the parsed error body, when it was JSON
    QString activationId; // x-openwhisk-activation-id of a failed invoke
    // The network stack sent the request again after its connection closed without an answer
    // (QNetworkAccessManager does so by itself): this answer may be to the second copy, the
    // first having done the work (a 409 to a create then means "stored by the first").
    bool resent = false;

    QString toString() const { return message; }
};

// A value or the error that prevented it. No exceptions cross the model's boundary.
template<typename T>
class Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {}
    Result(WhiskError error)
        : m_error(std::move(error))
    {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    const T &operator*() const { return *m_value; }
    const T *operator->() const { return &*m_value; }
    const WhiskError &error() const { return m_error; }

private:
    std::optional<T> m_value;
    WhiskError m_error;
};

// For calls whose success carries no value.
struct Done
{};

} // namespace Feedscope

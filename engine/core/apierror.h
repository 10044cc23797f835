// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace Feedscope::Engine {

// A typed HTTP error thrown inside a route handler; the dispatcher turns it into the
// OpenWhisk error body {"error": message, "code": transaction id} with this status (STYLE.md 17).
struct ApiError
{
    int status;
    QString message;
    QByteArray allow = {}; // the Allow header of a 405
};

// Message texts of the OpenWhisk controller (PROTOCOL.md 1.3, ErrorResponse.scala Messages).
namespace Messages {
inline const QString notFound = QStringLiteral("The requested resource does not exist.");
inline const QString notAuthorized
    = QStringLiteral("The supplied authentication is not authorized to access this resource.");
inline const QString authInvalid = QStringLiteral("The supplied authentication is invalid");
inline const QString authMissing = QStringLiteral(
    "The resource requires authentication, which was not supplied with the request");
inline const QString alreadyExists = QStringLiteral("resource already exists");
inline const QString conflictingCollection
    = QStringLiteral("Resource by this name exists but is not in this collection.");
inline const QString bindingOperation
    = QStringLiteral("Operation not permitted on package binding.");
inline const QString bindingDoesNotExist
    = QStringLiteral("Binding references a package that does not exist.");
inline const QString bindingCannotReferenceBinding
    = QStringLiteral("Cannot bind to another package binding.");
inline const QString packageCannotBecomeBinding
    = QStringLiteral("Resource is a package and cannot be converted into a binding.");
inline const QString feedNameInvalid = QStringLiteral("Feed name is not valid");
inline const QString finalParameters = QStringLiteral(
    "Request defines parameters that are not allowed (e.g., reserved properties).");
inline const QString internalError = QStringLiteral("Internal server error.");
} // namespace Messages

} // namespace Feedscope::Engine

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "whiskclient.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Feedscope {

// The wsk CLI's property file (~/.wskprops, or $WSK_CONFIG_FILE): one KEY=VALUE per line.
// Contract: load() then save() reproduces the file line for line except for the values that
// were changed, so keys Feedscope does not use (APIVERSION, APIGW_ACCESS_TOKEN, CERT, ...),
// comments and blank lines survive. Like the CLI, a missing file reads as an empty one, keys are
// matched exactly, and whitespace around keys and values is ignored.
class WskProps
{
public:
    static inline const QString apiHostKey = QStringLiteral("APIHOST");
    static inline const QString authKey = QStringLiteral("AUTH");
    static inline const QString namespaceKey = QStringLiteral("NAMESPACE");

    // $WSK_CONFIG_FILE when set and not empty, else $HOME/.wskprops: the CLI's own rule, so
    // both tools edit the same file.
    static QString defaultPath(const QProcessEnvironment &environment
                               = QProcessEnvironment::systemEnvironment());

    // A missing file gives empty properties; an unreadable one an error naming the path.
    static Result<WskProps> load(const QString &path);
    // The properties of a file's contents (what load() reads; any bytes are accepted).
    static WskProps parse(const QByteArray &contents);
    // Atomic replace (QSaveFile), creating the directory. The file holds a key, so a new file
    // is created readable only by its owner; an existing file keeps its permissions.
    Result<Done> save(const QString &path) const;

    bool contains(const QString &key) const;
    QString value(const QString &key) const;
    // Replaces the value in place, or appends a line for a new key.
    void setValue(const QString &key, const QString &value);
    void remove(const QString &key);
    QStringList keys() const;

    QString apiHost() const { return value(apiHostKey); }
    QString auth() const { return value(authKey); }
    QString ns() const { return value(namespaceKey); }

private:
    struct Line
    {
        QString key; // empty for comments, blank and malformed lines
        QString value;
        QString text; // the original line, written back verbatim while the value is unchanged
    };

    int indexOf(const QString &key) const;

    QList<Line> m_lines;
};

// The endpoint a shell set up for OpenWhisk describes. Precedence, lowest first: the property
// file, then the __OW_API_HOST / __OW_API_KEY / __OW_NAMESPACE variables (the ones an action
// sees and the openwhisk npm client reads): a variable that is set and not empty wins over the
// file, so an exported test environment is not silently ignored. A namespace that neither gives
// stays "_", which the server resolves to the key's own namespace.
WhiskEndpoint endpointFrom(const WskProps &props,
                           const QProcessEnvironment &environment
                           = QProcessEnvironment::systemEnvironment());

} // namespace Feedscope

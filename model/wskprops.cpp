// SPDX-License-Identifier: GPL-3.0-or-later
#include "wskprops.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace Feedscope {

namespace {

// Local file trouble has no HTTP status; the message is what the UI shows.
WhiskError fileError(const QString &message)
{
    WhiskError error;
    error.kind = WhiskError::Kind::Protocol;
    error.message = message;
    return error;
}

} // namespace

QString WskProps::defaultPath(const QProcessEnvironment &environment)
{
    const QString configured = environment.value(QStringLiteral("WSK_CONFIG_FILE"));
    if (!configured.isEmpty())
        return configured;
    QString home = environment.value(QStringLiteral("HOME"));
    if (home.isEmpty())
        home = QDir::homePath();
    return QDir(home).filePath(QStringLiteral(".wskprops"));
}

Result<WskProps> WskProps::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return WskProps{};
    if (!file.open(QIODevice::ReadOnly))
        return fileError(QStringLiteral("Reading %1 failed: %2").arg(path, file.errorString()));
    return parse(file.readAll());
}

WskProps WskProps::parse(const QByteArray &contents)
{
    WskProps props;
    const QString text = QString::fromUtf8(contents);
    QStringList lines = text.split(u'\n');
    // A trailing newline is not an extra empty line; save() puts it back.
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    for (QString raw : lines) {
        if (raw.endsWith(u'\r'))
            raw.chop(1);
        Line line;
        line.text = raw;
        const QString trimmed = raw.trimmed();
        const qsizetype eq = trimmed.indexOf(u'=');
        // The CLI splits at the first '=' (keys never contain one; values such as keys may).
        if (!trimmed.startsWith(u'#') && eq > 0) {
            line.key = trimmed.left(eq).trimmed();
            line.value = trimmed.mid(eq + 1).trimmed();
        }
        props.m_lines.append(line);
    }
    return props;
}

Result<Done> WskProps::save(const QString &path) const
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return fileError(
            QStringLiteral("Writing %1 failed: cannot create %2").arg(path, info.absolutePath()));
    const bool existed = info.exists();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(QStringLiteral("Writing %1 failed: %2").arg(path, file.errorString()));
    // AUTH is a credential: a file we create is not left world-readable by the umask.
    if (!existed)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray bytes;
    for (const Line &line : m_lines) {
        bytes += line.text.toUtf8();
        bytes += '\n';
    }
    file.write(bytes);
    if (!file.commit())
        return fileError(QStringLiteral("Writing %1 failed: %2").arg(path, file.errorString()));
    return Done{};
}

int WskProps::indexOf(const QString &key) const
{
    // The last occurrence wins when reading, as a map filled line by line would do.
    for (int i = int(m_lines.size()) - 1; i >= 0; --i) {
        if (m_lines.at(i).key == key)
            return i;
    }
    return -1;
}

bool WskProps::contains(const QString &key) const
{
    return indexOf(key) >= 0;
}

QString WskProps::value(const QString &key) const
{
    const int i = indexOf(key);
    return i >= 0 ? m_lines.at(i).value : QString();
}

void WskProps::setValue(const QString &key, const QString &value)
{
    const QString text = key + u'=' + value;
    const int i = indexOf(key);
    if (i < 0) {
        m_lines.append(Line{key, value, text});
        return;
    }
    Line &line = m_lines[i];
    if (line.value == value)
        return;
    line.value = value;
    line.text = text;
}

void WskProps::remove(const QString &key)
{
    m_lines.removeIf([&key](const Line &line) { return line.key == key; });
}

QStringList WskProps::keys() const
{
    QStringList keys;
    for (const Line &line : m_lines) {
        if (!line.key.isEmpty() && !keys.contains(line.key))
            keys.append(line.key);
    }
    return keys;
}

WhiskEndpoint endpointFrom(const WskProps &props, const QProcessEnvironment &environment)
{
    const auto pick = [&environment](const QString &variable, const QString &fromFile) {
        const QString fromEnvironment = environment.value(variable).trimmed();
        return fromEnvironment.isEmpty() ? fromFile : fromEnvironment;
    };
    WhiskEndpoint endpoint;
    endpoint.apiHost = pick(QStringLiteral("__OW_API_HOST"), props.apiHost());
    endpoint.authKey = pick(QStringLiteral("__OW_API_KEY"), props.auth());
    const QString ns = pick(QStringLiteral("__OW_NAMESPACE"), props.ns());
    if (!ns.isEmpty())
        endpoint.ns = ns;
    return endpoint;
}

} // namespace Feedscope

# Strings of the hardening work (strict sampling, command-line file options, oversized requests), English and Simplified Chinese.
# Run `python3 tools/resx/generate.py` after editing.
S = {
"Validation.Sampling.NotANumber": ("\"{0}\" is not a sampling percentage: write a number from 0.01 to 100 with digits and at most one '.', for example 100, 50 or 0.5 (no exponent, no thousands separator).",
                                   "“{0}”不是有效的采样率：请只用数字和最多一个“.”写出 0.01 到 100 之间的数，例如 100、50 或 0.5（不要使用指数或千位分隔符）。"),
"Cli.IsDirectory": ("{0} is a directory; give the path of a file", "{0} 是目录；请给出文件的路径"),
"Cli.FileUnreadable": ("cannot read {0}: {1}", "无法读取 {0}：{1}"),
"Cli.OutIsFile": ("{0} is a file; give a directory for the bundle (it is created if missing)", "{0} 是文件；请为文件包指定一个目录（不存在时会自动创建）"),
"Cli.OutNotEmpty": ("{0} already holds a bundle or other files; add --force to overwrite it, or choose another directory", "{0} 中已有文件包或其他文件；加上 --force 以覆盖，或选择其他目录"),
"Cli.OutNotWritable": ("cannot write the bundle to {0}: {1}", "无法将文件包写入 {0}：{1}"),
"Cli.OutFileIsDirectory": ("{0} is a directory; give the path of a .csv or .json file", "{0} 是目录；请给出 .csv 或 .json 文件的路径"),
"Cli.NotAWholeNumber": ("\"{0}\" is not a whole number; give one from {1} to {2}", "“{0}”不是整数；请给出 {1} 到 {2} 之间的整数"),
}
S.update({
"Request.TooLarge": ("This request is larger than the console accepts. Go back and try again with less data.", "此请求超出了控制台接受的大小。请返回并用更少的数据重试。"),
"Request.Failed": ("Something went wrong on the console's side. The console's log has the details.", "控制台内部出错。详情请查看控制台的日志。"),
"Request.Back": ("Back to the console", "返回控制台"),
})
